//! `waveplan man` (issue 15 item 2): one page per command, named and used as man(1) expects,
//! rendered by the system's `man` where there is one, written whole or not at all, and the
//! same bytes on every run.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use clap::CommandFactory;
use waveplan::cli::Cli;

use crate::{Ran, root, run, waveplan};

/// `waveplan.1` and one `waveplan-<command>.1` per visible command, sorted.
fn expected_pages() -> Vec<String> {
    let mut names: Vec<String> = Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| format!("waveplan-{}.1", s.get_name()))
        .collect();
    names.push("waveplan.1".to_owned());
    names.sort();
    names
}

/// Runs `man --dir dir` and returns the files found there by name.
fn write_pages(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let r = Ran::of(waveplan(&root()).args(["man", "--dir"]).arg(dir));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.out.is_empty(), "{r:?}");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The page as `man` shows it (or `groff` where there is no `man`), its words separated by
/// single spaces; `None` without either.
fn render(page: &Path) -> Option<String> {
    let man = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output();
    let out = match man {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match Command::new("groff")
                .args(["-man", "-Tutf8", "-k"])
                .arg(page)
                .output()
            {
                Ok(out) => out,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
                Err(e) => panic!("groff: {e}"),
            }
        }
        Err(e) => panic!("man: {e}"),
    };
    assert!(out.status.success(), "{}: {out:?}", page.display());
    // Bold and underline come as overstrikes (`x\bx`) where nothing strips them.
    let mut text = String::new();
    for ch in String::from_utf8_lossy(&out.stdout).chars() {
        if ch == '\u{8}' {
            text.pop();
        } else {
            text.push(ch);
        }
    }
    // Justified lines stretch spaces; compare words.
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn man_dir_writes_a_page_per_command_that_man_renders() {
    let tmp = tempfile::tempdir().unwrap();
    // A directory that does not exist yet, as `~/.local/share/man/man1` often does not.
    let dir = tmp.path().join("share/man/man1");
    let pages = write_pages(&dir);
    let names: Vec<&String> = pages.keys().collect();
    assert_eq!(names, expected_pages().iter().collect::<Vec<_>>());
    assert!(!pages.contains_key("waveplan-help.1"));
    for (name, bytes) in &pages {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let title = name.trim_end_matches(".1");
        assert!(
            text.contains(&format!("\n.TH {title} 1 \"\" \"waveplan ")),
            "{name}: {text}"
        );
        assert!(text.contains(".SH \"EXIT STATUS\""), "{name}");
    }
    let plan = String::from_utf8(pages["waveplan-plan.1"].clone()).unwrap();
    // Named as its file, with the usage as typed.
    assert!(plan.contains("waveplan\\-plan \\- Schedule"), "{plan}");
    assert!(plan.contains("\\fBwaveplan plan\\fR"), "{plan}");

    let Some(shown) = render(&dir.join("waveplan-plan.1")) else {
        #[expect(
            clippy::print_stderr,
            reason = "a skipped test must say so, not pass silently"
        )]
        {
            eprintln!("SKIPPED: neither man nor groff found: the man pages were not rendered");
        }
        return;
    };
    for want in [
        "NAME",
        "waveplan-plan - Schedule every migrating service",
        "SYNOPSIS",
        "waveplan plan [-i|--inventory]",
        "--seed <SEED>",
        "--scenario <FILE>",
        "EXIT STATUS",
        "101",
        "waveplan(1)",
    ] {
        assert!(shown.contains(want), "lacks `{want}`:\n{shown}");
    }
    let top = render(&dir.join("waveplan.1")).unwrap();
    for want in [
        "SUBCOMMANDS",
        "waveplan-validate(1)",
        "waveplan-plan(1)",
        "waveplan-completions(1)",
        "waveplan-man(1)",
        "EXIT STATUS",
        "usage error",
        "internal bug",
    ] {
        assert!(top.contains(want), "lacks `{want}`:\n{top}");
    }
}

#[test]
fn man_prints_the_top_page_and_every_run_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let first = write_pages(&tmp.path().join("a"));
    let second = write_pages(&tmp.path().join("b"));
    assert_eq!(first, second);
    let printed = |_| run(&root(), &["man"]);
    let runs: Vec<_> = (0..2).map(printed).collect();
    for ran in &runs {
        assert_eq!(ran.code, Some(0));
        assert_eq!(ran.out_bytes, first["waveplan.1"]);
    }
}

#[test]
fn man_dir_that_cannot_be_written_exits_1_and_writes_no_page() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let r = Ran::of(waveplan(&root()).args(["man", "--dir"]).arg(&file));
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains("not-a-dir"));

    // One page's place is taken by a directory: no page is written, not even the others.
    let dir = tmp.path().join("man1");
    std::fs::create_dir_all(dir.join("waveplan-plan.1")).unwrap();
    let r = Ran::of(waveplan(&root()).args(["man", "--dir"]).arg(&dir));
    assert_eq!(r.code, Some(1), "{r:?}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["waveplan-plan.1"]);
}

#[test]
fn man_usage_errors_exit_2() {
    for args in [&["man", "plan"][..], &["man", "--dir"][..]] {
        assert_eq!(run(&root(), args).code, Some(2), "{args:?}");
    }
}
