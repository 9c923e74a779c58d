//! Fuzz target `transforms`: the check lives in `understudy::fuzzing::check_transforms`, shared with the
//! corpus replay in `tests/fuzz_corpus.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| understudy::fuzzing::check_transforms(data));
