use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::*;

fn exact() -> CompareOptions {
    CompareOptions {
        ignore_whitespace: false,
        ..CompareOptions::default()
    }
}

fn rebuild(c: &Comparison) -> (String, String) {
    let (mut from, mut to) = (String::new(), String::new());
    for section in &c.sections {
        let (left, right) = side_by_side(section);
        for op in &left {
            from.push_str(&op.text);
        }
        for op in &right {
            to.push_str(&op.text);
        }
    }
    (from, to)
}

fn assert_invariant(from: &str, to: &str, c: &Comparison) {
    let (f, t) = rebuild(c);
    assert_eq!(f, from, "from body not rebuilt");
    assert_eq!(t, to, "to body not rebuilt");
    for s in &c.sections {
        for op in &s.ops {
            assert!(!op.text.is_empty(), "empty op in {}", s.anchor);
            assert!(op.op != OpKind::Equal || !op.ignorable);
        }
    }
}

fn checked(from: &str, to: &str, opts: &CompareOptions) -> Comparison {
    let c = compare(from, to, opts);
    assert_invariant(from, to, &c);
    c
}

fn statuses(c: &Comparison) -> Vec<(SectionStatus, Option<&str>, Option<&str>)> {
    c.sections
        .iter()
        .map(|s| (s.status, s.from_heading.as_deref(), s.to_heading.as_deref()))
        .collect()
}

const DOC: &str = "---\ntitle: Logging\n---\nInnledning.\n\n# Formål\nVeilederen beskriver logging av tilgang til helseopplysninger.\n\n# Krav\nVirksomheten skal logge all tilgang.\n\n# Ansvar\nDatabehandler har ansvar for loggene og oppbevaring av dem.\n";

#[test]
fn identical_bodies_are_unchanged() {
    let c = checked(DOC, DOC, &CompareOptions::default());
    assert!(c.sections.iter().all(|s| s.status == SectionStatus::Unchanged));
    assert_eq!(c.summary.change_kind, "none");
    assert_eq!(c.granularity, Granularity::Word);
    assert!(!c.degraded);
    assert_eq!(c.sections.len(), 5);
    assert!(c.sections[0].front_matter);
    assert_eq!(c.sections[2].anchor, "s3");
}

#[test]
fn added_and_removed_sections() {
    let to = DOC.replace(
        "# Ansvar\nDatabehandler har ansvar for loggene og oppbevaring av dem.\n",
        "# Kontroll\nLoggene gjennomgås jevnlig av en uavhengig funksjon.\n",
    );
    let c = checked(DOC, &to, &CompareOptions::default());
    let st = statuses(&c);
    assert!(st.contains(&(SectionStatus::Removed, Some("Ansvar"), None)));
    assert!(st.contains(&(SectionStatus::Added, None, Some("Kontroll"))));
    assert_eq!(c.summary.sections_added, 1);
    assert_eq!(c.summary.sections_removed, 1);
    assert_eq!(c.summary.change_kind, "substantive");
}

#[test]
fn renamed_section_is_paired_by_content() {
    let to = DOC.replace("# Ansvar\n", "# Roller og ansvar\n");
    let c = checked(DOC, &to, &CompareOptions::default());
    let renamed: Vec<_> = c
        .sections
        .iter()
        .filter(|s| s.status == SectionStatus::Renamed)
        .collect();
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0].from_heading.as_deref(), Some("Ansvar"));
    assert_eq!(renamed[0].to_heading.as_deref(), Some("Roller og ansvar"));
    assert_eq!(c.summary.sections_renamed, 1);
    assert_eq!(c.summary.sections_added + c.summary.sections_removed, 0);
    assert_eq!((c.summary.words_added, c.summary.words_removed), (3, 1));
    assert_eq!(c.summary.change_kind, "editorial");
}

#[test]
fn renames_are_assigned_in_order_for_the_best_total() {
    let scores = [[0.6, 0.7], [0.0, 0.9]];
    assert_eq!(best_in_order(2, 2, |x, y| scores[x][y]), [(0, 0), (1, 1)]);
    assert_eq!(best_in_order(2, 2, |_, _| 0.4), []);
}

#[test]
fn renamed_heading_with_rewritten_body_is_still_paired() {
    let from = "# Norway is migrating from ICD 9908 to 0192\nThe old scheme is used until June.\n";
    let to = "# Norway has migrated from ICD 9908 to 0192\nOnly 0192 is accepted now.\n";
    let c = checked(from, to, &CompareOptions::default());
    assert_eq!(c.sections[0].status, SectionStatus::Renamed);
}

#[test]
fn blank_preamble_is_not_a_section_change() {
    let c = checked("# A\ntext\n", "\n# A\ntext\n", &CompareOptions::default());
    assert_eq!(c.summary.change_kind, "none");
    assert_eq!(c.summary.sections_added, 0);
    let c = checked("# A\ntext\n", "\n# A\ntext\n", &exact());
    assert_eq!(c.summary.sections_changed, 1);
}

#[test]
fn crlf_bodies_rebuild_exactly() {
    let from = DOC.replace('\n', "\r\n");
    let to = from.replace("skal", "bør");
    let c = checked(&from, &to, &exact());
    assert_eq!(c.summary.normative_changes, 1);
    let c = checked(&from, &DOC.replace("skal", "bør"), &CompareOptions::default());
    assert_eq!((c.summary.words_added, c.summary.words_removed), (1, 1));
}

#[test]
fn heading_markup_and_case_edits_keep_the_pair() {
    let to = DOC.replace("# Krav\n", "## **krav**\n");
    let c = checked(DOC, &to, &CompareOptions::default());
    assert!(statuses(&c).contains(&(SectionStatus::Changed, Some("Krav"), Some("**krav**"))));
    assert_eq!(c.summary.words_added, 1);
}

#[test]
fn moved_section_is_a_delete_and_an_insert() {
    let krav = "# Krav\nVirksomheten skal logge all tilgang.\n\n";
    let to = DOC.replace(krav, "").replace("# Formål", &format!("{krav}# Formål"));
    let c = checked(DOC, &to, &CompareOptions::default());
    let moved: Vec<_> = c.sections.iter().filter(|s| s.status == SectionStatus::Moved).collect();
    assert_eq!(moved.len(), 2);
    assert_eq!(c.summary.sections_moved, 1);
    let ops: Vec<_> = moved.iter().map(|s| s.ops[0].op).collect();
    assert!(ops.contains(&OpKind::Delete) && ops.contains(&OpKind::Insert));
    assert_eq!(moved[0].counterpart.as_deref(), Some(moved[1].anchor.as_str()));
    assert_eq!(moved[1].counterpart.as_deref(), Some(moved[0].anchor.as_str()));
    assert_eq!(c.summary.words_added + c.summary.words_removed, 0);
    assert_eq!(c.summary.normative_changes, 0);
    assert_eq!(c.summary.change_kind, "editorial");
}

#[test]
fn moved_and_renamed_section_with_identical_body() {
    let to = "# B\nbeta text here.\n# Nytt navn\nalpha text here.\n";
    let from = "# A\nalpha text here.\n# B\nbeta text here.\n";
    let c = checked(from, to, &CompareOptions::default());
    assert_eq!(c.summary.sections_moved, 1);
    assert_eq!(c.summary.sections_added + c.summary.sections_removed, 0);
}

#[test]
fn normative_word_change_is_flagged() {
    let to = DOC.replace("skal logge", "bør logge");
    let c = checked(DOC, &to, &CompareOptions::default());
    let krav = c
        .sections
        .iter()
        .find(|s| s.to_heading.as_deref() == Some("Krav"))
        .unwrap();
    assert!(krav.normative);
    assert_eq!(krav.status, SectionStatus::Changed);
    assert_eq!(c.summary.normative_changes, 1);
    assert_eq!((c.summary.words_added, c.summary.words_removed), (1, 1));
    assert_eq!(c.summary.change_kind, "substantive");
}

#[test]
fn negation_next_to_normative_word_is_flagged() {
    let to = DOC.replace("skal logge", "skal ikke logge");
    let c = checked(DOC, &to, &CompareOptions::default());
    assert_eq!(c.summary.normative_changes, 1);
    let en = checked(
        "You must log access.\n",
        "You must not log access.\n",
        &CompareOptions::default(),
    );
    assert_eq!(en.summary.normative_changes, 1);
    let en = checked("You should log.\n", "You MUST log.\n", &CompareOptions::default());
    assert!(en.sections[0].normative);
    let date = checked(
        "Released 2024-05-07.\n",
        "Released May 7, 2024.\n",
        &CompareOptions::default(),
    );
    assert_eq!(date.summary.normative_changes, 0);
}

#[test]
fn ordinary_edit_is_not_normative() {
    let to = DOC.replace("all tilgang", "enhver tilgang");
    let c = checked(DOC, &to, &CompareOptions::default());
    assert_eq!(c.summary.normative_changes, 0);
    assert!(c.sections.iter().all(|s| !s.normative));
    assert_eq!(c.summary.change_kind, "editorial");
}

#[test]
fn added_section_with_normative_word_counts() {
    let to = format!("{DOC}\n# Nytt\nLeverandøren må varsle.\n");
    let c = checked(DOC, &to, &CompareOptions::default());
    assert_eq!(c.summary.normative_changes, 1);
    assert_eq!(c.summary.sections_added, 1);
}

#[test]
fn whitespace_only_changes_are_ignored_by_default() {
    let to = DOC
        .replace("logging av tilgang", "logging  av\ntilgang")
        .replace("all tilgang.\n", "all tilgang.   \n\n\n");
    let c = checked(DOC, &to, &CompareOptions::default());
    assert_eq!(c.summary.change_kind, "none");
    assert!(c.sections.iter().all(|s| s.status == SectionStatus::Unchanged));
    assert!(c.sections.iter().flat_map(|s| &s.ops).any(|op| op.ignorable));

    let c = checked(DOC, &to, &exact());
    assert_eq!(c.summary.sections_changed, 2);
    assert_eq!(c.summary.words_added + c.summary.words_removed, 0);
    assert_eq!(c.summary.change_kind, "editorial");
    assert!(c.sections.iter().flat_map(|s| &s.ops).all(|op| !op.ignorable));
}

#[test]
fn case_and_punctuation_options() {
    let from = "# A\nVirksomheten skal logge, alltid.\n";
    let to = "# A\nvirksomheten skal logge alltid!\n";
    assert_eq!(
        checked(from, to, &CompareOptions::default()).summary.change_kind,
        "editorial"
    );
    let punct = CompareOptions {
        ignore_punctuation: true,
        ..CompareOptions::default()
    };
    assert_eq!(checked(from, to, &punct).summary.words_added, 1);
    let both = CompareOptions {
        ignore_case: true,
        ..punct
    };
    let c = checked(from, to, &both);
    assert_eq!(c.summary.change_kind, "none");
    assert_eq!(c.sections[0].status, SectionStatus::Unchanged);
}

#[test]
fn markup_only_change_is_editorial_without_words() {
    let from = "# A\nDette er **viktig** tekst.\n";
    let to = "# A\nDette er *viktig* tekst.\n";
    let c = checked(from, to, &CompareOptions::default());
    assert_eq!(c.summary.words_added + c.summary.words_removed, 0);
    assert_eq!(c.summary.sections_changed, 1);
    assert_eq!(c.summary.change_kind, "editorial");
}

#[test]
fn front_matter_changes_do_not_count_as_text_changes() {
    let to = DOC.replace("title: Logging", "title: Logging av tilgang\nsidebar: main");
    let c = checked(DOC, &to, &CompareOptions::default());
    assert!(c.summary.front_matter_changed);
    assert_eq!(c.summary.words_added, 0);
    assert_eq!(c.summary.sections_changed, 0);
    assert_eq!(c.summary.change_kind, "editorial");
    assert_eq!(c.sections[0].status, SectionStatus::Changed);
}

#[test]
fn word_level_ops_inside_a_section() {
    let from = "# A\nVirksomheten skal logge all tilgang.\n";
    let to = "# A\nVirksomheten skal logge enhver tilgang.\n";
    let c = checked(from, to, &CompareOptions::default());
    let changed: Vec<_> = c.sections[0]
        .ops
        .iter()
        .filter(|op| op.op != OpKind::Equal)
        .map(|op| op.text.as_str())
        .collect();
    assert_eq!(changed, ["all", "enhver"]);
}

#[test]
fn pathological_input_falls_back_within_the_deadline() {
    let lines = ["a\n", "b\n", "c\n", "d\n", "e\n", "f\n", "g\n", "h\n"];
    let mut seed = 7u64;
    let mut doc = || {
        (0..100_000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                lines[(seed >> 33) as usize % lines.len()]
            })
            .collect::<String>()
    };
    let (from, to) = (doc(), doc());
    let opts = CompareOptions {
        deadline: Duration::from_millis(250),
        ..exact()
    };
    let started = Instant::now();
    let c = compare(&from, &to, &opts);
    let elapsed = started.elapsed();
    assert_invariant(&from, &to, &c);
    assert!(c.degraded);
    assert!(c.granularity > Granularity::Word);
    // Unoptimised test builds are several times slower than release.
    let limit = if cfg!(debug_assertions) { 1500 } else { 300 };
    assert!(elapsed < Duration::from_millis(limit), "took {elapsed:?}");
}

#[test]
fn tiny_deadline_gives_whole_sections() {
    let to = DOC.replace("skal", "bør");
    let opts = CompareOptions {
        deadline: Duration::ZERO,
        ..CompareOptions::default()
    };
    let c = checked(DOC, &to, &opts);
    assert_eq!(c.granularity, Granularity::Section);
    assert!(c.degraded);
    assert_eq!(c.summary.normative_changes, 1);
}

#[test]
fn huge_deadline_does_not_overflow() {
    let opts = CompareOptions {
        deadline: Duration::MAX,
        ..CompareOptions::default()
    };
    let c = checked(DOC, &DOC.replace("skal", "bør"), &opts);
    assert_eq!(c.granularity, Granularity::Word);
}

#[test]
fn unified_diff_has_labels_and_hunks() {
    let to = DOC.replace("skal logge", "bør logge");
    let patch = unified_diff(DOC, &to, "v1/logging.md", "v2/logging.md");
    assert!(patch.starts_with("--- v1/logging.md\n+++ v2/logging.md\n@@ "));
    assert!(patch.contains("\n-Virksomheten skal logge all tilgang.\n+Virksomheten bør logge all tilgang.\n"));
    assert_eq!(unified_diff(DOC, DOC, "a", "b"), "");
    assert_eq!(
        unified_diff("a\rb\n", "a\rc", "x\ny", "z"),
        "--- x y\n+++ z\n@@ -1 +1 @@\n-a\rb\n+a\rc\n\\ No newline at end of file\n"
    );
}

#[test]
fn serializes_lowercase_names() {
    let to = DOC.replace("skal", "bør");
    let json = serde_json::to_value(compare(DOC, &to, &CompareOptions::default())).unwrap();
    assert_eq!(json["granularity"], "word");
    assert_eq!(json["summary"]["change_kind"], "substantive");
    assert_eq!(json["sections"][3]["status"], "changed");
    assert_eq!(json["sections"][3]["ops"][1]["op"], "delete");
    assert!(json["sections"][3]["ops"][0].get("ignorable").is_none());
}

/// Random Markdown-ish documents and edits for the invariant property.
mod props {
    use super::*;

    const WORDS: &[&str] = &[
        "skal",
        "bør",
        "må",
        "kan",
        "ikke",
        "Virksomheten",
        "logge",
        "tilgang",
        "helse",
        "data",
        "must",
        "not",
        "**viktig**",
        "`kode`",
        "[lenke](https://x.no)",
        "æøå",
        "1.",
        "-",
        "|",
        "—",
        "Ålesund",
        "\u{301}",
        "a\u{30A}",
    ];
    const HEADINGS: &[&str] = &["Formål", "Krav", "Ansvar", "Logging", "Krav", "Vedlegg", ""];
    const SEPARATORS: &[&str] = &[" ", " ", " ", "  ", "\n", "\t", "\r\n", "\n\n"];

    fn paragraph() -> impl Strategy<Value = String> {
        prop::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 0..14).prop_map(|ws| {
            ws.into_iter()
                .map(|(w, s)| format!("{}{}", WORDS[w], SEPARATORS[s]))
                .collect()
        })
    }

    fn section() -> impl Strategy<Value = String> {
        (
            0..HEADINGS.len(),
            1..4usize,
            paragraph(),
            prop::bool::weighted(0.15),
            paragraph(),
        )
            .prop_map(|(h, level, body, fenced, tail)| {
                let fence = if fenced { "```\n# not a heading\n```\n" } else { "" };
                format!("{} {}\n{body}\n{fence}{tail}", "#".repeat(level), HEADINGS[h])
            })
    }

    fn document() -> impl Strategy<Value = Vec<String>> {
        (prop::bool::ANY, paragraph(), prop::collection::vec(section(), 0..7)).prop_map(|(front, pre, mut sections)| {
            let mut head = String::new();
            if front {
                head.push_str("---\ntitle: T\n---\n");
            }
            head.push_str(&pre);
            sections.insert(0, head);
            sections
        })
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Replace(usize, usize, String),
        Delete(usize),
        Insert(usize, String),
        Move(usize, usize),
        Rename(usize, String),
        Whitespace(usize),
        Case(usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<usize>(), any::<usize>(), paragraph()).prop_map(|(s, at, p)| Edit::Replace(s, at, p)),
            any::<usize>().prop_map(Edit::Delete),
            (any::<usize>(), section()).prop_map(|(s, t)| Edit::Insert(s, t)),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Move(a, b)),
            (any::<usize>(), "[A-Za-zæøå ]{0,12}").prop_map(|(s, h)| Edit::Rename(s, h)),
            any::<usize>().prop_map(Edit::Whitespace),
            any::<usize>().prop_map(Edit::Case),
        ]
    }

    fn apply(mut doc: Vec<String>, edits: &[Edit]) -> String {
        for e in edits {
            let n = doc.len();
            match e.clone() {
                Edit::Replace(s, at, p) => {
                    let text = &mut doc[s % n];
                    let mut cut = at % (text.len() + 1);
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    let end = (cut + p.len() / 2).min(text.len());
                    let end = (end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap();
                    text.replace_range(cut..end, &p);
                }
                Edit::Delete(s) if n > 1 => {
                    doc.remove(1 + s % (n - 1));
                }
                Edit::Insert(s, t) => doc.insert(1 + s % n, t),
                Edit::Move(a, b) if n > 2 => {
                    let sec = doc.remove(1 + a % (n - 1));
                    doc.insert(1 + b % (n - 1), sec);
                }
                Edit::Rename(s, h) if n > 1 => {
                    let text = &mut doc[1 + s % (n - 1)];
                    let end = text.find('\n').unwrap_or(text.len());
                    text.replace_range(..end, &format!("## {h}"));
                }
                Edit::Whitespace(s) => {
                    let text = &mut doc[s % n];
                    *text = text.replacen(' ', "  ", 2).replacen('\n', " \n", 1);
                }
                Edit::Case(s) => {
                    let text = &mut doc[s % n];
                    *text = text.to_uppercase();
                }
                _ => {}
            }
        }
        doc.concat()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn ops_rebuild_both_bodies(doc in document(), edits in prop::collection::vec(edit(), 0..6)) {
            let from = doc.concat();
            let to = apply(doc, &edits);
            let all = CompareOptions { ignore_punctuation: true, ignore_case: true, ..CompareOptions::default() };
            for opts in [exact(), CompareOptions::default(), all] {
                let c = compare(&from, &to, &opts);
                let (f, t) = rebuild(&c);
                prop_assert_eq!(&f, &from);
                prop_assert_eq!(&t, &to);
                let moved = c.sections.iter().filter(|s| s.status == SectionStatus::Moved).count();
                prop_assert_eq!(moved, 2 * c.summary.sections_moved);
                prop_assert!(c.sections.iter().flat_map(|s| &s.ops).all(|op| !op.text.is_empty()));
            }
        }

        #[test]
        fn equal_bodies_compare_as_none(doc in document()) {
            let text = doc.concat();
            let c = compare(&text, &text, &exact());
            prop_assert_eq!(c.summary.change_kind.as_str(), "none");
            prop_assert!(c.sections.iter().all(|s| s.status == SectionStatus::Unchanged && s.ops.len() <= 1));
        }
    }
}
