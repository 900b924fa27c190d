//! Plan files (SPEC 6): written as YAML or JSON, read back for `verify`, `report` and `diff`.
