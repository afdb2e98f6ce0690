//! Checks of allocations sized from a user's number, made before anything is allocated: a size
//! the machine cannot hold is a usage error that says the size, not an abort hours later.

use crate::error::{Error, Result};

/// Refuses `bytes` for `what` when it is more than the memory available now (`MemAvailable`
/// in `/proc/meminfo`, Linux; elsewhere, no check), with both figures in the message.
///
/// # Errors
///
/// A usage error naming `what`, the size asked for and the memory available.
pub fn check(what: &str, bytes: u64) -> Result<()> {
    let Some(available) = available() else {
        return Ok(());
    };
    if bytes > available {
        return Err(Error::usage(format!(
            "{what} would need {} of memory, more than the {} available on this machine; \
             lower it",
            size(bytes),
            size(available)
        )));
    }
    Ok(())
}

/// The memory available for new allocations without swapping, in bytes, where known.
fn available() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line["MemAvailable:".len()..]
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// A size for people: bytes, and the same in the nearest unit.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{bytes} bytes ({value:.1} {})", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_say_bytes_and_a_unit() {
        assert_eq!(super::size(512), "512 bytes");
        assert_eq!(super::size(3 << 30), "3221225472 bytes (3.0 GiB)");
    }
}
