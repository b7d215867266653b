//! Rendering and diff-output bounds: `cargo bench --bench render`.
//!
//! Times `domain::body::check_body_structure` and `markdown::to_safe_html` on the worst bodies
//! the body rule accepts (2 MiB each of the shapes below, nested to the limit where nesting
//! applies) and on refused ones, and prints the size of the bounded comparison output
//! (`diff::compare_bounded`, JSON) for the large diff shapes.

use std::time::Instant;

use normen_registry::diff::{CompareOptions, compare_bounded};
use normen_registry::domain::body::{MAX_NESTING_DEPTH, check_body_structure};
use normen_registry::markdown::to_safe_html;

const MAX: usize = 2 * 1024 * 1024;

/// Repeats `unit` up to just under 2 MiB.
fn fill(unit: &str) -> String {
    unit.repeat((MAX - 64) / unit.len())
}

fn bodies() -> Vec<(&'static str, String)> {
    let d = MAX_NESTING_DEPTH;
    let quote = ">".repeat(d - 1);
    let list: String = (0..(d - 1) / 2)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect::<String>()
        + "\n";
    let divs = format!("{}x{}\n\n", "<div>".repeat(d - 1), "</div>".repeat(d - 1));
    let formatting: String = (0..d - 2).map(|k| format!("<b id={k}>")).collect();
    let mut reopen = format!("<p>{formatting}</p>\n");
    reopen.push_str(&fill("<p>x</p>\n"));
    reopen.truncate(MAX - 64);
    let mut table = String::from("| a | b | c |\n|---|:-:|--:|\n");
    table.push_str(&fill("| x | *y* | [z](https://e.org) |\n"));
    table.truncate(MAX - 64);
    vec![
        (
            "plain paragraphs",
            fill("Virksomheten skal logge alle oppslag i journalen.\n\n"),
        ),
        ("headings", fill("# Overskrift\n\n")),
        ("quotes nested 31 deep", fill(&format!("{quote} x\n{quote}\n"))),
        ("lists nested 15 deep", fill(&list)),
        ("emphasis", fill("*a* **b** ~~c~~ ")),
        ("links", fill("[a](https://example.org/x) ")),
        ("table", table),
        ("raw <div> nested 31 deep", fill(&divs)),
        ("30 formatting elements reopened", reopen),
        (
            "footnote refs (600 KB)",
            format!("[^a]: x\n\n{}", "[^a] ".repeat(120_000)),
        ),
    ]
}

fn refused() -> Vec<(&'static str, String)> {
    vec![
        ("2 MiB of >", ">".repeat(MAX - 64)),
        ("2 MiB of \"1. \" (nested list items)", "1. ".repeat((MAX - 64) / 3)),
        ("2 MiB of <div>", fill("<div>")),
        ("2 MiB of footnote refs", format!("[^a]: x\n\n{}", fill("[^a] "))),
    ]
}

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    println!("| accepted body (2 MiB unless said) | check ms | render ms | HTML bytes |");
    println!("|---|--:|--:|--:|");
    for (name, body) in bodies() {
        let mut ok = Ok(());
        let check = ms(|| ok = check_body_structure(&body));
        assert_eq!(ok, Ok(()), "{name} must be accepted");
        let mut html = String::new();
        let render = ms(|| html = to_safe_html(&body));
        assert!(!html.starts_with("<pre class=\"unrendered\">"), "{name} degraded");
        println!(
            "| {name} ({} B) | {check:.0} | {render:.0} | {} |",
            body.len(),
            html.len()
        );
    }
    println!();
    println!("| refused body | check ms | result | render ms (degrades) |");
    println!("|---|--:|---|--:|");
    for (name, body) in refused() {
        let mut res = Ok(());
        let check = ms(|| res = check_body_structure(&body));
        assert!(res.is_err(), "{name} must be refused");
        let render = ms(|| {
            to_safe_html(&body);
        });
        println!("| {name} | {check:.0} | {:?} | {render:.0} |", res.unwrap_err());
    }
    println!();
    println!("| diff | input bytes | compare ms | JSON bytes | sections listed |");
    println!("|---|--:|--:|--:|--:|");
    let headings = "# x\n".repeat(400_000);
    let mut one_char = headings.clone();
    one_char.replace_range(800_002..800_003, "y");
    let all_changed = "# x\n\ny\n\n".repeat(200_000);
    let all_changed_to = all_changed.replace('y', "z");
    let big_section = format!("# A\n\n{}", "ord ord ord ord\n".repeat(100_000));
    let big_added = format!("{big_section}# B\n\n{}", "nytt ord her\n".repeat(100_000));
    for (name, a, b) in [
        ("400,000 headings, one character changed", &headings, &one_char),
        ("200,000 sections, every one changed", &all_changed, &all_changed_to),
        ("1.6 MB section, 1.3 MB section added", &big_section, &big_added),
        ("400,000 headings against empty", &headings, &String::new()),
    ] {
        let mut c = None;
        let t = ms(|| c = Some(compare_bounded(a, b, &CompareOptions::default())));
        let c = c.unwrap();
        let json = serde_json::to_string(&c).unwrap();
        println!(
            "| {name} | {} | {t:.0} | {} | {} |",
            a.len() + b.len(),
            json.len(),
            c.sections.len()
        );
    }
}
