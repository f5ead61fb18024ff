//! The GIFT importer on any text: it never panics, every problem names a line of the file,
//! and whatever it reads as questions is written back as GIFT that reads the same again.
#![no_main]

use app::domain::gift::{parse_gift, to_gift};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let import = parse_gift(text);
    let lines = text.lines().count().max(1);
    for problem in &import.problems {
        assert!(
            problem.line >= 1 && problem.line <= lines + 1,
            "problem on line {} of {lines}",
            problem.line
        );
    }
    if import.questions.is_empty() {
        return;
    }
    let written = to_gift(&import.questions);
    let again = parse_gift(&written);
    assert!(again.problems.is_empty(), "exported GIFT has problems: {:?}\n{written}", again.problems);
    assert_eq!(again.questions.len(), import.questions.len(), "{written}");
});
