//! Seen-set files: a loaded set either equals what was saved, or loading is an error.
//!
//! Mode 0 builds a set (with origins, exact or Bloom) from the data, saves it, damages the file
//! as the data says (flip a byte, cut it short, append, overwrite a run) and loads it: an `Ok`
//! must serialize to exactly the saved bytes. Mode 1 hands the loader arbitrary bytes with a
//! valid checksum and the right settings fields, so the parser itself is exercised: it must not
//! panic or allocate beyond the file's size, and what it accepts must serialize back to the
//! same bytes (the format has one encoding per set).

use paradedup::{Fingerprint, Normalizer, Origin, SeenSet, Settings, Unit};

fn settings(byte: u8) -> Settings {
    Settings {
        unit: if byte & 1 == 0 {
            Unit::Lines
        } else {
            Unit::BlankLines
        },
        normalizer: if byte & 2 == 0 {
            Normalizer::standard()
        } else {
            Normalizer::ccnet()
        },
        min_chars: usize::from(byte >> 4),
    }
}

fn bytes_of(set: &SeenSet, settings: Settings) -> Vec<u8> {
    let mut out = Vec::new();
    set.write_to(&mut out, settings).expect("writing to memory");
    out
}

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    for (i, x) in b.iter_mut().enumerate() {
        *x = data.get(at + i).copied().unwrap_or(0);
    }
    u64::from_le_bytes(b)
}

/// Checks one fuzz input: panics when an invariant fails.
pub fn run(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let (mode, settings_byte, rest) = (data[0] % 2, data[1], &data[2..]);
    let settings = settings(settings_byte);
    match mode {
        0 => {
            let kind = rest[0] % 3;
            let damage = &rest[1..rest.len().min(9)];
            let entries = rest.get(9..).unwrap_or_default();
            let mut set = match kind {
                0 => SeenSet::new(),
                1 => SeenSet::exact(),
                _ => SeenSet::bloom(1 + entries.len() as u64, 0.01).expect("valid Bloom"),
            };
            for (i, chunk) in entries.chunks(4).enumerate() {
                // Few distinct fingerprints, so repeats happen.
                let fp = Fingerprint::of_bytes(chunk);
                set.record(
                    fp,
                    Origin {
                        document: i as u64 / 3,
                        paragraph: i as u64 % 3,
                    },
                );
            }
            let saved = bytes_of(&set, settings);
            let loaded = SeenSet::read_from(&saved[..], settings).expect("a saved set loads");
            assert_eq!(
                bytes_of(&loaded, settings),
                saved,
                "round trip changed the set"
            );
            assert_eq!(loaded.len(), set.len());

            let mut damaged = saved.clone();
            let at = u64_at(damage, 0) as usize;
            match damage.first().copied().unwrap_or(0) % 4 {
                0 => {
                    let i = at % damaged.len();
                    damaged[i] ^= damage.get(1).copied().unwrap_or(1).max(1);
                }
                1 => damaged.truncate(at % damaged.len()),
                2 => damaged.extend_from_slice(damage),
                _ => {
                    let i = at % damaged.len();
                    for (j, &b) in damage.iter().enumerate() {
                        if let Some(x) = damaged.get_mut(i + j) {
                            *x = b;
                        }
                    }
                }
            }
            if let Ok(set) = SeenSet::read_from(&damaged[..], settings) {
                assert_eq!(
                    bytes_of(&set, settings),
                    saved,
                    "a damaged file loaded as another set"
                );
            }
            // Another run's settings are refused.
            let other = self::settings(settings_byte ^ 1);
            assert!(SeenSet::read_from(&saved[..], other).is_err());
        }
        _ => {
            // A header with the right seed and settings, the rest the fuzzer's, and a valid
            // checksum: the parser's checks after the checksum get exercised.
            let reference = bytes_of(&SeenSet::exact(), settings);
            let mut file = rest.to_vec();
            for (i, &b) in reference[..40].iter().enumerate() {
                // Keep the fuzzer's version (8..10), kind (10) and count (32..40).
                if !(8..11).contains(&i) && !(32..40).contains(&i) {
                    if let Some(x) = file.get_mut(i) {
                        *x = b;
                    }
                }
            }
            let checksum = xxhash_rust::xxh3::xxh3_64(&file);
            file.extend_from_slice(&checksum.to_le_bytes());
            if let Ok(set) = SeenSet::read_from(&file[..], settings) {
                assert!(
                    set.memory_usage() <= 64 * file.len() + 4096,
                    "allocation beyond the file"
                );
                assert_eq!(
                    bytes_of(&set, settings),
                    file,
                    "accepted a non-canonical file"
                );
            }
        }
    }
}
