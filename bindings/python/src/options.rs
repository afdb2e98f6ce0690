//! Settings from Python keyword arguments, and back.
//!
//! Names (`unit="blank_lines"`, `normalize="ccnet"`, ...) are parsed by the library's
//! `FromStr` and written by its `Display`, with `_` for `-` as Python spells them; only the
//! messages are the bindings' own, in Python's terms (`TypeError` for a wrong type,
//! `ValueError` for a wrong value).

use std::str::FromStr;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use paradedup::{Deduper, DeduperBuilder, Normalizer, Preset, Scope, Settings};

/// The option names every settings-taking function accepts, besides the normalization
/// switches ([`Normalizer::SWITCHES`]).
const SETTINGS_KEYS: &[&str] = &["unit", "scope", "normalize", "min_chars"];

/// The options of a deduper, parsed from Python keyword arguments.
pub(crate) struct Options {
    pub(crate) settings: Settings,
    pub(crate) scope: Scope,
}

impl Options {
    /// A builder with these settings and scope.
    pub(crate) fn builder(&self) -> DeduperBuilder {
        let mut builder = Deduper::builder();
        builder
            .unit(self.settings.unit)
            .normalizer(self.settings.normalizer)
            .min_chars(self.settings.min_chars)
            .scope(self.scope);
        builder
    }
}

/// The Python type's name of `value`, for messages.
pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// A string option read by `parse`; `choices` (as Python spells them) name the accepted
/// values in the message when `parse` finds none.
pub(crate) fn one_of<T>(
    name: &str,
    value: &Bound<'_, PyAny>,
    choices: &[&str],
    parse: impl FnOnce(&str) -> Option<T>,
) -> PyResult<T> {
    let text: String = value.extract().map_err(|_| {
        PyTypeError::new_err(format!("{name} must be a str, not {}", type_name(value)))
    })?;
    parse(&text).ok_or_else(|| {
        let names: Vec<String> = choices.iter().map(|c| format!("'{c}'")).collect();
        PyValueError::new_err(format!(
            "{name} must be one of {}, got {text:?}",
            names.join(", ")
        ))
    })
}

/// A setting the library names (`-` and `_` are the same), parsed by its `FromStr`.
pub(crate) fn named<T: FromStr>(
    name: &str,
    value: &Bound<'_, PyAny>,
    choices: &[&str],
) -> PyResult<T> {
    one_of(name, value, choices, |text| text.parse().ok())
}

/// A boolean option: only `True` or `False`.
pub(crate) fn flag(name: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.extract::<bool>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name} must be True or False, not {}",
            type_name(value)
        ))
    })
}

/// A count option: an `int` from `min` up.
pub(crate) fn count(name: &str, value: &Bound<'_, PyAny>, min: u64) -> PyResult<u64> {
    let n: i128 = value.extract().map_err(|_| {
        PyTypeError::new_err(format!("{name} must be an int, not {}", type_name(value)))
    })?;
    if n < i128::from(min) || n > i128::from(u32::MAX) * 1024 {
        return Err(PyValueError::new_err(format!(
            "{name} must be an int from {min} up, got {n}"
        )));
    }
    Ok(n as u64)
}

/// Parses the settings options of `kwargs`; keys in `extra` are left for the caller, any
/// other key is a `TypeError`, as Python reports an unexpected keyword argument.
pub(crate) fn parse_options(
    kwargs: Option<&Bound<'_, PyDict>>,
    extra: &[&str],
) -> PyResult<Options> {
    let mut options = Options {
        settings: Settings::default(),
        scope: Scope::Document,
    };
    let Some(kwargs) = kwargs else {
        return Ok(options);
    };
    let mut switches: Vec<(String, bool)> = Vec::new();
    let mut preset = Preset::Standard;
    for (key, value) in kwargs.iter() {
        let key: String = key.extract()?;
        match key.as_str() {
            "unit" => options.settings.unit = named("unit", &value, &["lines", "blank_lines"])?,
            "scope" => options.scope = named("scope", &value, &["document", "corpus"])?,
            "normalize" => {
                preset = named("normalize", &value, &["standard", "exact", "ccnet"])?;
            }
            "min_chars" => {
                options.settings.min_chars = count("min_chars", &value, 0)? as usize;
            }
            other if Normalizer::SWITCHES.contains(&other) => {
                if !value.is_none() {
                    let on = flag(other, &value)?;
                    switches.push((key, on));
                }
            }
            other if extra.contains(&other) => {}
            other => {
                return Err(PyTypeError::new_err(format!(
                    "unexpected keyword argument {other:?}; the options are: {}",
                    SETTINGS_KEYS
                        .iter()
                        .chain(&Normalizer::SWITCHES)
                        .chain(extra)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
    }
    if preset == Preset::Ccnet {
        if let Some((name, _)) = switches.first() {
            return Err(PyValueError::new_err(format!(
                "normalize='ccnet' reproduces CCNet exactly and takes no switch (got {name})"
            )));
        }
    }
    let mut normalizer = Normalizer::from_preset(preset);
    for (name, on) in &switches {
        normalizer = normalizer
            .with_switch(name, *on)
            .expect("only the library's switch names get here");
    }
    options.settings.normalizer = normalizer;
    Ok(options)
}

/// `settings` as the keyword arguments [`parse_options`] reads back: unit, normalize,
/// min_chars, and the switches that differ from the preset.
pub(crate) fn settings_dict<'py>(py: Python<'py>, s: Settings) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("unit", python_name(s.unit))?;
    let preset = s.normalizer.preset();
    d.set_item("normalize", python_name(preset))?;
    d.set_item("min_chars", s.min_chars)?;
    let base = Normalizer::from_preset(preset);
    for name in Normalizer::SWITCHES {
        let on = s.normalizer.switch(name);
        if on != base.switch(name) {
            d.set_item(name, on)?;
        }
    }
    Ok(d)
}

/// The library's name of a setting, with `_` for `-` as Python keyword values spell it.
pub(crate) fn python_name(value: impl std::fmt::Display) -> String {
    value.to_string().replace('-', "_")
}
