//! The pieces the three schemas are built from: objects whose property names are the
//! loader's own field lists, and one schema per kind of value the loader reads
//! (`fields.rs`), each accepting what that reader accepts.
//!
//! Only keywords that mean the same in draft 7 and draft 2020-12 are used, so editors whose
//! YAML support stops at draft 7 read them fully; `patternErrorMessage` and `errorMessage`
//! are VS Code's (and yaml-language-server's) words for a readable message, which other
//! validators ignore as the annotations they are.

use serde_json::{Map, Value, json};

use crate::load::fields::RESERVED;
use crate::model::MAX_WAVES;

/// The shape of a service id or scenario name (`fields::is_id`), reserved words apart.
pub(crate) const ID_SHAPE: &str = "[a-z][a-z0-9._-]{0,63}";

/// The shape of a department code (`fields::is_code_shape`), reserved words apart.
pub(crate) const CODE_SHAPE: &str = "[A-Z][A-Z0-9-]{1,15}";

/// Said when an id does not match (`patternErrorMessage`, which VS Code and
/// yaml-language-server show instead of the pattern itself).
const ID_MESSAGE: &str = "an id: a lowercase letter, then up to 63 of a-z, 0-9, `.`, `_`, `-`; not a reserved word (null, true, false, yes, no, on, off)";

/// Said when a department code does not match.
const CODE_MESSAGE: &str = "a department code: an uppercase letter, then 1-15 of A-Z, 0-9, `-`; not a reserved word (NO, ON, OFF, YES, NULL, TRUE, FALSE)";

/// Said when a name is a reserved word.
const NAME_MESSAGE: &str =
    "a name that is not a reserved word (null, true, false, yes, no, on, off, in any case)";

/// Said when a date does not match.
const DATE_MESSAGE: &str = "a date written YYYY-MM-DD that exists in the calendar, e.g. 2019-03-01";

/// A `YYYY-MM-DD` day that exists in the (proleptic Gregorian) calendar, leap days included,
/// as `Reader::date` accepts it: editors do not all check `format: date`, a pattern they do.
pub(crate) const DATE_PATTERN: &str = concat!(
    "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"
);

/// The largest number the loader reads (`Reader::number`).
const MAX_NUMBER: u64 = 1_000_000_000_000_000;

/// How a mapping treats what it does not list, and null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// Read by `load::fields`: unknown fields are errors, and null is the same as absent
    /// (SPEC 2), so every optional field also accepts null.
    Loader,
    /// Read by serde (plan files): unknown fields are ignored, and null is accepted only
    /// where the field is an `Option`.
    Serde,
}

/// One property of an object: its name, its help text and its value's schema.
pub(super) struct Prop {
    name: &'static str,
    description: &'static str,
    schema: Value,
}

/// A property named `name`, described for the editor's hover.
pub(super) fn prop(name: &'static str, description: &'static str, schema: Value) -> Prop {
    Prop {
        name,
        description,
        schema,
    }
}

/// An object whose properties are `fields`, in that order: the list the loader passes to
/// `Reader::finish` (or serde's list for a plan struct), so the schema can name no field the
/// reader refuses and miss none it reads. Each name takes its schema from `props`; a prop
/// that `fields` lacks is still written, last, so the tests comparing the two see it.
pub(super) fn object(style: Style, fields: &[&str], props: Vec<Prop>, required: &[&str]) -> Value {
    let mut rest = props;
    let mut properties = Map::new();
    let mut take = |p: Prop| {
        let optional = !required.contains(&p.name);
        let schema = if optional && style == Style::Loader {
            nullable(p.schema)
        } else {
            p.schema
        };
        properties.insert(p.name.to_owned(), described(p.description, schema));
    };
    for field in fields {
        if let Some(i) = rest.iter().position(|p| p.name == *field) {
            take(rest.remove(i));
        }
    }
    for p in rest {
        take(p);
    }
    let mut out = Map::new();
    out.insert("type".to_owned(), json!("object"));
    out.insert("properties".to_owned(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".to_owned(), json!(required));
    }
    if style == Style::Loader {
        out.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    Value::Object(out)
}

/// `schema` with `description` as its first keyword.
pub(super) fn described(description: &str, schema: Value) -> Value {
    let mut out = Map::new();
    out.insert("description".to_owned(), json!(description));
    match schema {
        Value::Object(m) => out.extend(m),
        other => {
            out.insert("allOf".to_owned(), json!([other]));
        }
    }
    Value::Object(out)
}

/// `schema` or null: how the loader reads an optional field (`MapFields::get`).
pub(super) fn nullable(schema: Value) -> Value {
    let Value::Object(mut m) = schema else {
        return schema;
    };
    if m.is_empty() {
        // Anything, null included.
        return Value::Object(m);
    }
    // `not` and `if` would judge null too: keep them away from it.
    let guarded = m.contains_key("not") || m.contains_key("if");
    if !guarded {
        match m.get_mut("type") {
            Some(Value::String(t)) => {
                let t = std::mem::take(t);
                m.insert("type".to_owned(), json!([t, "null"]));
                return Value::Object(m);
            }
            Some(Value::Array(types)) => {
                types.push(json!("null"));
                return Value::Object(m);
            }
            _ => {}
        }
        if let Some(Value::Array(options)) = m.get_mut("anyOf") {
            options.push(json!({"type": "null"}));
            return Value::Object(m);
        }
        if let Some(Value::Array(words)) = m.get_mut("enum") {
            words.push(Value::Null);
            return Value::Object(m);
        }
    }
    json!({"anyOf": [Value::Object(m), {"type": "null"}]})
}

/// Sets `key` on an object schema (an `if`, a `default`).
pub(super) fn with(mut schema: Value, key: &str, value: Value) -> Value {
    if let Value::Object(m) = &mut schema {
        m.insert(key.to_owned(), value);
    }
    schema
}

/// Free text (`Reader::text`): an unquoted number or boolean is kept as written.
pub(super) fn text() -> Value {
    json!({"type": ["string", "number", "boolean"]})
}

/// Text as serde reads it (plan files).
pub(super) fn string() -> Value {
    json!({"type": "string"})
}

/// `(?:[Nn][Uu][Ll][Ll]|…)`: a reserved word in any case (`fields::RESERVED`), spelt
/// without a regex flag since JSON Schema patterns have none.
pub(super) fn reserved_words() -> String {
    let words: Vec<String> = RESERVED
        .iter()
        .map(|w| {
            w.chars()
                .map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c))
                .collect()
        })
        .collect();
    format!("(?:{})", words.join("|"))
}

/// A whole text of `shape` that is not a reserved word: the word check is a look-ahead, so
/// one pattern (and its one message) says everything wrong with the text.
pub(super) fn unreserved(shape: &str) -> String {
    format!("^(?!{}$){shape}$", reserved_words())
}

/// A text checked by `pattern`, explained by `message` where it does not match.
fn patterned(pattern: &str, message: &str) -> Value {
    json!({"type": "string", "pattern": pattern, "patternErrorMessage": message})
}

/// A service id (`Reader::id`).
pub(super) fn id() -> Value {
    patterned(&unreserved(ID_SHAPE), ID_MESSAGE)
}

/// A department code (`Reader::code`).
pub(super) fn code() -> Value {
    patterned(&unreserved(CODE_SHAPE), CODE_MESSAGE)
}

/// A team or move-group name (`Reader::name`): not empty, not a reserved word.
pub(super) fn name() -> Value {
    patterned(&unreserved(r"[\s\S]+"), NAME_MESSAGE)
}

/// The keys of a mapping, checked by `schema` (a string schema; keys are always text).
fn keys(schema: Value) -> Value {
    match schema {
        Value::Object(mut m) => {
            m.remove("type");
            Value::Object(m)
        }
        other => other,
    }
}

/// The keys of a mapping of team names (`effort`, `capacity.teams`).
pub(super) fn name_keys() -> Value {
    keys(name())
}

/// The keys of a mapping of service ids (`pins`, `risk.services`).
pub(super) fn id_keys() -> Value {
    keys(id())
}

/// The keys of a mapping of department codes (`risk.departments`).
pub(super) fn code_keys() -> Value {
    keys(code())
}

/// A date (`Reader::date`, and jiff's dates in plan files).
pub(super) fn date() -> Value {
    json!({
        "type": "string",
        "format": "date",
        "pattern": DATE_PATTERN,
        "patternErrorMessage": DATE_MESSAGE
    })
}

/// A non-negative number (`Reader::number`).
pub(super) fn number() -> Value {
    json!({"type": "number", "minimum": 0, "maximum": MAX_NUMBER})
}

/// A number above zero (an overrun's median).
pub(super) fn positive_number() -> Value {
    json!({"type": "number", "exclusiveMinimum": 0, "maximum": MAX_NUMBER})
}

/// A probability (`scenario::probability`).
pub(super) fn probability() -> Value {
    json!({"type": "number", "minimum": 0, "maximum": 1})
}

/// A whole number, 0 to `u32::MAX` (`Reader::count`).
pub(super) fn count() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": u32::MAX})
}

/// A whole number, 1 to `u32::MAX` (`Reader::positive_count`).
pub(super) fn positive_count() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": u32::MAX})
}

/// A wave count or number, 1 to [`MAX_WAVES`] (`Reader::wave_count`).
pub(super) fn wave_count() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": MAX_WAVES})
}

/// A wave number in a plan, 0 to [`MAX_WAVES`] (`plan_file::within_bounds`; a 0 is
/// `verify`'s to report).
pub(super) fn plan_wave() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": MAX_WAVES})
}

/// A whole number as serde reads a `u32`.
pub(super) fn u32_value() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": u32::MAX})
}

/// A whole number as serde reads a `u64`.
pub(super) fn u64_value() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})
}

/// Any number, as serde reads an `f64`.
pub(super) fn float() -> Value {
    json!({"type": "number"})
}

/// `true` or `false`.
pub(super) fn boolean() -> Value {
    json!({"type": "boolean"})
}

/// The word `unlimited`, which every capacity accepts.
fn unlimited() -> Value {
    json!({"const": "unlimited"})
}

/// A capacity (`Reader::capacity`): a non-negative number or `unlimited`.
pub(super) fn capacity() -> Value {
    json!({"anyOf": [number(), unlimited()]})
}

/// A count capacity (`Reader::count_capacity`): a whole number or `unlimited`.
pub(super) fn count_capacity() -> Value {
    json!({"anyOf": [count(), unlimited()]})
}

/// One of a fixed set of words (`Reader::choice`), named by the loader's own table.
pub(super) fn choice<T>(options: &[(&str, T)]) -> Value {
    let words: Vec<&str> = options.iter().map(|(w, _)| *w).collect();
    json!({"enum": words})
}

/// A list of `items` (`Reader::list`; null, an empty list, is the field's `nullable`).
pub(super) fn list(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

/// A list of at least one of `items`.
pub(super) fn non_empty_list(items: Value) -> Value {
    json!({"type": "array", "minItems": 1, "items": items})
}

/// A mapping with free keys (`MapFields::rest`): each key checked by `keys`, each value by
/// `values`.
pub(super) fn map_of(keys: Value, values: Value) -> Value {
    json!({"type": "object", "propertyNames": keys, "additionalProperties": values})
}

/// Anything (`meta`, which no rule reads).
pub(super) fn anything() -> Value {
    json!({})
}
