//! A document's life as a picture (as Lovdata's timeline of historical versions): an SVG
//! drawn on the server, no script. Versions are marks on a time axis, a substantive change
//! larger than an editorial one, translations on their own row, the withdrawal where the line
//! ends. The history table below it stays the accessible and linkable record; the picture is
//! an image with a text alternative.

use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;

/// What a mark stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Substantive,
    Editorial,
    Translation,
    Withdrawal,
}

/// One event on a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub on: NaiveDate,
    pub kind: MarkKind,
    /// Shown as the mark's tooltip, e.g. "Versjon 2.0, 3. mars 2024: Faglig endring".
    pub title: String,
}

/// A row of marks: the page's language, or a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub marks: Vec<Mark>,
}

const WIDTH: f64 = 640.0;
const ROW_HEIGHT: f64 = 34.0;
const AXIS_HEIGHT: f64 = 26.0;
const MARGIN: f64 = 14.0;
/// A row with a label above its line (when there are translations) is taller.
const LABELLED_ROW_HEIGHT: f64 = 42.0;
const MAX_YEAR_LABELS: i32 = 7;
/// Room at the right for the arrow that says the document is still in force.
const ARROW_ROOM: f64 = 28.0;

/// The SVG, or nothing when there is too little to draw (fewer than two marks).
///
/// The axis runs from the first mark to the last. While the document is in force (no
/// withdrawal mark), every line runs on to an arrow at the right edge; a withdrawal ends them
/// all. Nothing depends on today's date, so the picture changes only when the document does.
/// `description` is the image's text alternative.
pub fn svg(rows: &[Row], description: &str) -> Option<String> {
    let rows: Vec<&Row> = rows.iter().filter(|r| !r.marks.is_empty()).collect();
    if rows.iter().map(|r| r.marks.len()).sum::<usize>() < 2 {
        return None;
    }
    let dates = || rows.iter().flat_map(|r| r.marks.iter().map(|m| m.on));
    let (start, end) = (dates().min()?, dates().max()?);
    let withdrawn_on = rows
        .iter()
        .flat_map(|r| r.marks.iter())
        .filter(|m| m.kind == MarkKind::Withdrawal)
        .map(|m| m.on)
        .min();
    // Labels sit above their lines, so the axis uses the whole width even on a phone.
    let left = MARGIN;
    let labelled = rows.len() > 1;
    let row_height = if labelled { LABELLED_ROW_HEIGHT } else { ROW_HEIGHT };
    let right = WIDTH - MARGIN - if withdrawn_on.is_some() { 0.0 } else { ARROW_ROOM };
    let span = (end - start).num_days().max(1) as f64;
    let x = |d: NaiveDate| left + (d - start).num_days() as f64 / span * (right - left);
    let height = rows.len() as f64 * row_height + AXIS_HEIGHT;

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="timeline" role="img" aria-label="{}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(description)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = if labelled {
            i as f64 * row_height + 28.0
        } else {
            (i as f64 + 0.5) * row_height
        };
        if labelled {
            let _ = write!(
                out,
                r#"<text class="tl-label" x="{MARGIN}" y="{:.1}">{}</text>"#,
                y - 13.0,
                escape(&row.label)
            );
        }
        let first = row.marks.iter().map(|m| m.on).min().unwrap_or(start);
        let line_end = withdrawn_on.map_or(WIDTH - MARGIN - 8.0, &x);
        let _ = write!(
            out,
            r#"<line class="tl-line" x1="{:.1}" y1="{y:.1}" x2="{line_end:.1}" y2="{y:.1}"/>"#,
            x(first)
        );
        if withdrawn_on.is_none() {
            let tip = WIDTH - MARGIN;
            let _ = write!(
                out,
                r#"<polygon class="tl-arrow" points="{:.1},{:.1} {tip:.1},{y:.1} {:.1},{:.1}"/>"#,
                tip - 9.0,
                y - 5.0,
                tip - 9.0,
                y + 5.0
            );
        }
        // Editorial marks first, so a substantive one on the same day stays visible.
        let mut marks: Vec<&Mark> = row.marks.iter().collect();
        marks.sort_by_key(|m| (m.kind != MarkKind::Editorial, m.on));
        for m in marks {
            mark(&mut out, x(m.on), y, m);
        }
    }
    axis(&mut out, start, end, &x, rows.len() as f64 * row_height);
    out.push_str("</svg>");
    Some(out)
}

fn mark(out: &mut String, x: f64, y: f64, m: &Mark) {
    let title = escape(&m.title);
    let _ = match m.kind {
        MarkKind::Substantive => write!(
            out,
            r#"<circle class="tl-substantive" cx="{x:.1}" cy="{y:.1}" r="7"><title>{title}</title></circle>"#
        ),
        MarkKind::Editorial => write!(
            out,
            r#"<circle class="tl-editorial" cx="{x:.1}" cy="{y:.1}" r="4"><title>{title}</title></circle>"#
        ),
        MarkKind::Translation => write!(
            out,
            r#"<rect class="tl-translation" x="{:.1}" y="{:.1}" width="9" height="9" transform="rotate(45 {x:.1} {y:.1})"><title>{title}</title></rect>"#,
            x - 4.5,
            y - 4.5
        ),
        MarkKind::Withdrawal => write!(
            out,
            r#"<rect class="tl-withdrawal" x="{:.1}" y="{:.1}" width="5" height="22"><title>{title}</title></rect>"#,
            x - 2.5,
            y - 11.0
        ),
    };
}

/// Year ticks along the bottom: every year when there are few, else every second, fifth …
fn axis(out: &mut String, start: NaiveDate, end: NaiveDate, x: &impl Fn(NaiveDate) -> f64, top: f64) {
    let _ = write!(
        out,
        r#"<line class="tl-axis" x1="{:.1}" y1="{top:.1}" x2="{:.1}" y2="{top:.1}"/>"#,
        x(start),
        x(end)
    );
    let years = end.year() - start.year() + 1;
    let step = [1, 2, 5, 10, 20, 50]
        .into_iter()
        .find(|s| (years + s - 1) / s <= MAX_YEAR_LABELS)
        .unwrap_or(100);
    let mut labelled = false;
    // The first multiple of the step on or after the start (years here are positive).
    let mut year = (start.year() + step - 1) / step * step;
    while year <= end.year() {
        if let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1).filter(|d| *d >= start) {
            tick(out, x(jan1), top, year);
            labelled = true;
        }
        year += step;
    }
    // A life within one year still says which.
    if !labelled {
        tick(out, x(start), top, start.year());
    }
}

fn tick(out: &mut String, x: f64, top: f64, year: i32) {
    let _ = write!(
        out,
        r#"<line class="tl-tick" x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{:.1}"/><text class="tl-year" x="{x:.1}" y="{:.1}" text-anchor="middle">{year}</text>"#,
        top + 5.0,
        top + 19.0
    );
}

/// Text for an SVG attribute or element: the five XML specials escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(on: &str, kind: MarkKind) -> Mark {
        Mark {
            on: d(on),
            kind,
            title: format!("{kind:?} <{on}>"),
        }
    }

    #[test]
    fn one_mark_is_not_a_timeline() {
        let rows = [Row {
            label: "Norsk".into(),
            marks: vec![m("2020-01-01", MarkKind::Substantive)],
        }];
        assert_eq!(svg(&rows, "x"), None);
    }

    #[test]
    fn marks_sit_on_the_axis_by_date_and_kind() {
        let rows = [Row {
            label: "Norsk".into(),
            marks: vec![
                m("2020-01-01", MarkKind::Substantive),
                m("2022-01-01", MarkKind::Editorial),
                m("2024-01-01", MarkKind::Withdrawal),
            ],
        }];
        let s = svg(&rows, "Tidslinje & mer").unwrap();
        assert!(
            s.starts_with(r#"<svg class="timeline" role="img" aria-label="Tidslinje &amp; mer""#),
            "{s}"
        );
        // One row: no label column; the line ends at the withdrawal, with no arrow.
        assert!(!s.contains("tl-label"), "{s}");
        assert!(s.contains(r#"<circle class="tl-substantive" cx="14.0""#), "{s}");
        assert!(s.contains(r#"<circle class="tl-editorial" cx="320.2""#), "{s}");
        assert!(
            s.contains(r#"<line class="tl-line" x1="14.0" y1="17.0" x2="626.0""#),
            "{s}"
        );
        assert!(s.contains(r#"<rect class="tl-withdrawal" x="623.5""#), "{s}");
        assert!(!s.contains("tl-arrow"), "{s}");
        // Titles are escaped; every year is labelled.
        assert!(s.contains("<title>Substantive &lt;2020-01-01&gt;</title>"), "{s}");
        for year in 2020..=2024 {
            assert!(s.contains(&format!(">{year}</text>")), "{year}: {s}");
        }
        assert!(s.ends_with("</svg>"));
    }

    #[test]
    fn translations_get_a_labelled_row_and_long_lives_fewer_year_labels() {
        let rows = [
            Row {
                label: "Norsk bokmål".into(),
                marks: vec![m("1990-06-01", MarkKind::Substantive)],
            },
            Row {
                label: "English".into(),
                marks: vec![m("2020-06-01", MarkKind::Translation)],
            },
        ];
        let s = svg(&rows, "x").unwrap();
        assert!(
            s.contains(">Norsk bokmål</text>") && s.contains(">English</text>"),
            "{s}"
        );
        assert!(s.contains("rotate(45"), "{s}");
        // In force: both lines run on to an arrow; the marks leave it room.
        assert_eq!(s.matches(r#"class="tl-arrow""#).count(), 2, "{s}");
        assert!(s.contains("rotate(45 598.0 70.0)"), "{s}");
        assert!(
            s.contains(r#"<text class="tl-label" x="14" y="57.0">English</text>"#),
            "{s}"
        );
        // 31 years: every fifth is labelled (1995 … 2020), not every year.
        assert_eq!(s.matches(r#"class="tl-year""#).count(), 6, "{s}");
        assert!(s.contains(">1995</text>") && !s.contains(">1996</text>"), "{s}");
    }

    #[test]
    fn a_life_within_a_year_names_the_year() {
        let rows = [Row {
            label: "Norsk".into(),
            marks: vec![
                m("2025-03-01", MarkKind::Substantive),
                m("2025-09-01", MarkKind::Editorial),
            ],
        }];
        let s = svg(&rows, "x").unwrap();
        assert_eq!(s.matches(r#"class="tl-year""#).count(), 1, "{s}");
        assert!(s.contains(">2025</text>"), "{s}");
    }
}
