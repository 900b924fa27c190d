//! `waveplan completions` (issue 15 item 2): the bash script really completes in bash, and
//! the other shells get a script that names the commands (checked by the shell's own parser
//! where that shell is installed).

use std::path::Path;
use std::process::Command;

use crate::{root, run};

fn script(shell: &str) -> String {
    let r = run(&root(), &["completions", shell]);
    assert_eq!(r.code, Some(0), "{shell}: {r:?}");
    String::from_utf8(r.out_bytes).unwrap()
}

/// Says on stderr that a check did not run, so a skipped check never reads as passed.
fn skipped(what: &str) {
    #[expect(
        clippy::print_stderr,
        reason = "a skipped test must say so, not pass silently"
    )]
    {
        eprintln!("SKIPPED: {what}");
    }
}

/// What bash's completion offers for `line`, whose last word is the one being completed,
/// with the script of `waveplan completions bash` sourced; `None` without bash.
fn bash_completes(script: &Path, line: &str) -> Option<Vec<String>> {
    // The function is whatever the script registered for `waveplan` (`complete -F NAME`);
    // bash calls it with the command, the current word and the previous word.
    const DRIVER: &str = r#"
source "$1" || exit 3
spec=$(complete -p waveplan) || exit 4
fn=${spec##*-F }
fn=${fn%% *}
read -r -a COMP_WORDS <<< "$2"
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
"$fn" waveplan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let out = match Command::new("bash")
        .args(["--norc", "--noprofile", "-c", DRIVER, "bash"])
        .arg(script)
        .arg(line)
        .output()
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("bash: {e}"),
    };
    assert!(out.status.success(), "bash on `{line}`: {out:?}");
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn bash_completes_commands_flags_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waveplan.bash");
    std::fs::write(&path, script("bash")).unwrap();
    let cases: [(&str, &[&str]); 4] = [
        ("waveplan pl", &["plan"]),
        ("waveplan plan --se", &["--seed", "--set"]),
        ("waveplan ma", &["man"]),
        // The hidden alias `table` is accepted but not offered.
        ("waveplan risk --format t", &["text"]),
    ];
    for (line, want) in cases {
        let Some(mut got) = bash_completes(&path, line) else {
            skipped("bash not found: the bash completion script was not run");
            return;
        };
        got.sort();
        assert_eq!(got, want, "`{line}<TAB>`");
    }
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let text = script(shell);
        for word in [
            "waveplan",
            "validate",
            "plan",
            "whatif",
            "completions",
            "man",
        ] {
            assert!(text.contains(word), "{shell} script lacks {word}");
        }
        assert_eq!(text, script(shell), "{shell}: same bytes twice");
    }
    let dir = tempfile::tempdir().unwrap();
    // Each shell's own parser, without running the script; quietly left out where the shell
    // is not installed (the bash test above runs the bash script for real).
    for (shell, file, args) in [
        ("zsh", "_waveplan", &["-n"][..]),
        ("fish", "waveplan.fish", &["--no-execute"][..]),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, script(shell)).unwrap();
        match Command::new(shell).args(args).arg(&path).output() {
            Ok(out) => assert!(out.status.success(), "{shell} rejects its script: {out:?}"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => panic!("{shell}: {e}"),
        }
    }
}

#[test]
fn directories_complete_as_directories_and_files_as_files() {
    let zsh = script("zsh");
    assert!(zsh.contains("'--inventory=[Inventory directory"), "{zsh}");
    for line in zsh.lines().filter(|l| l.starts_with("'--inventory=")) {
        assert!(line.ends_with(":DIR:_files -/' \\"), "{line}");
    }
    let fish = script("fish");
    for line in fish.lines().filter(|l| l.contains("-l inventory ")) {
        assert!(
            line.ends_with("-r -f -a \"(__fish_complete_directories)\""),
            "{line}"
        );
    }
    assert!(
        zsh.contains(":FILE:_files' \\"),
        "scenario files complete as files"
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let r = run(&root(), &["completions", "tcsh"]);
    assert_eq!(r.code, Some(2));
    assert!(r.out.is_empty());
    assert!(r.err.contains("possible values"));
}
