//! Integration tests live in one directory per program (`tests/<program>/`), one file per
//! instruction; this library target is empty so that the crate can hold them.
