//! Fuzz target `copy_text`: the check lives in `understudy::fuzzing::check_copy_text`, shared with the
//! corpus replay in `tests/fuzz_corpus.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| understudy::fuzzing::check_copy_text(data));
