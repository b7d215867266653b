//! Relevance on real text: the latest version of every Digdir document
//! (bokmål, nynorsk, English; removed upstream = withdrawn) plus synthetic
//! fact sheets with numbers. Each test names the document expected and the
//! rank it must reach.

mod common;

use common::*;
use index::{SearchIndex, SearchRequest, Sort};

#[test]
fn bokmal_inflections_find_each_other() {
    // The document says "Veileder"; Snowball alone stems the query forms differently.
    for q in ["veileder", "veilederen", "veiledere", "veilederne"] {
        assert_rank(q, "idporten/idporten/idporten_overordnet.md", 1);
    }
    // "tjenesteeieren" appears in 6 documents; "tjenesteeier"/"-eiere" in many more.
    let results = search(&SearchRequest {
        limit: 50,
        ..req("tjenesteeieren")
    });
    assert!(results.total > 6, "total {}", results.total);
    assert!(rank(&results, "idporten/oidc/oidc_func_onbehalfof.md").is_some_and(|r| r <= 3));
}

#[test]
fn nynorsk_inflections_and_documents() {
    // Only "verksemder"/"verksemda" occur in the corpus.
    assert_rank("verksemd", "Maskinporten/maskinporten_autentisering.md", 2);
    assert_rank("verksemd", "eFormidling/Selvhjelp/kjente_feil.md", 3);
    // A bokmål singular reaches the nynorsk title "Verifikasjonstestar".
    assert_rank(
        "verifikasjonstest",
        "idporten/idporten/idporten_verifikasjonstester.md",
        1,
    );
}

#[test]
fn english_is_stemmed_as_english() {
    let results = search(&SearchRequest {
        language: Some("en".into()),
        ..req("authenticated user identity")
    });
    assert!(results.hits.iter().all(|h| h.language == "en"));
    assert!(rank(&results, "idporten/oidc/oidc_protocol_id_token.md").is_some_and(|r| r <= 2));
    // "tokens" finds "token" and vice versa.
    assert_rank(
        "introspecting tokens",
        "idporten/oidc/oidc_protocol_tokenintrospect.md",
        1,
    );
}

#[test]
fn missing_aeoeaa_still_finds_ranked_below_exact() {
    assert_rank("utgatt", "Kontaktregisteret/krr_attributter.md", 1);
    assert_rank("utgått", "Kontaktregisteret/krr_attributter.md", 1);
    assert_rank("handtering", "eSignering/index.md", 2);
    assert_rank("sikring av mobilt utstyr", "FA-20a", 1);
    assert_rank("sikring av mobilt utstyr", "FA-20a", 1);
    // The changelog has the literal (nynorsk) "handtering": it is the exact match and comes first.
    let results = search(&req("handtering"));
    assert_eq!(rank(&results, "eFormidling/Oppgradering/endringslogg.md"), Some(1));
}

#[test]
fn words_typed_with_aeoeaa_also_find_the_ascii_spelling() {
    // The corpus always spells these words properly, so two small documents show it.
    let index = SearchIndex::in_memory().unwrap();
    for (id, body) in [
        (1, "Rutiner for handtering av avvik."),
        (2, "Rutiner for håndtering av avvik."),
    ] {
        index
            .replace_document(id, vec![fact_sheet(id, &id.to_string(), "Avvik", body)], id)
            .unwrap();
    }
    for (q, first, second) in [
        ("håndtering", "2", "1"),
        ("handtering", "1", "2"),
        ("håndter*", "2", "1"),
    ] {
        let results = index.search(&req(q)).unwrap();
        let order: Vec<&str> = results.hits.iter().filter_map(|h| h.number.as_deref()).collect();
        assert_eq!(order, vec![first, second], "{q}");
        assert!(results.hits[1].snippet_html.contains("ndtering</mark>"), "{q}");
    }
}

#[test]
fn compounds_are_reached_below_exact_matches() {
    // krr_testbrukere.md has "informasjonssikkerhet" but never "sikkerhet".
    let results = search(&SearchRequest {
        limit: 100,
        ..req("sikkerhet")
    });
    let at = rank(&results, "Kontaktregisteret/krr_testbrukere.md").expect("compound found");
    let exact = results.hits.iter().take_while(|h| h.score >= 100.0).count();
    assert!(exact >= 5 && at > exact, "rank {at}, exact matches {exact}");
    // "styring" alone is in one document; "tilgangsstyring" in many.
    let results = search(&SearchRequest {
        limit: 50,
        ..req("styring")
    });
    assert_eq!(rank(&results, "idporten/oidc/ansattporten_allmennsky.md"), Some(1));
    assert!(results.hits[1].score < 100.0);
    let compound = rank(&results, "Maskinporten/maskinporten_guide_apitilbyder.md");
    assert!(compound.is_some_and(|r| r > 1 && r <= 20), "{compound:?}");
    let snippet = &results.hits[compound.unwrap() - 1].snippet_html;
    assert!(snippet.contains("<mark>Tilgangsstyring</mark>"), "{snippet}");
}

#[test]
fn document_numbers_pin_the_fact_sheet() {
    for (q, expected) in [
        ("faktaark 37", "FA-37"),
        ("FA 37", "FA-37"),
        ("fa37", "FA-37"),
        ("Faktaark 0", "FA-0"),
        ("FA 20a", "FA-20a"),
        ("faktaark 01", "FA-01"),
        ("faktaark 1", "FA-1"),
        ("logging FA 20", "FA-20"),
    ] {
        let results = search(&req(q));
        assert_eq!(ids(&results).first().map(String::as_str), Some(expected), "{q}");
    }
    // "01" is not "1".
    let results = search(&req("faktaark 01"));
    assert_eq!(rank(&results, "FA-1"), None);
    // FA-37 is withdrawn: shown anyway, with its successor.
    let hit = &search(&req("FA 37")).hits[0];
    assert_eq!(hit.status, "withdrawn");
    assert!(hit.withdrawn_on.is_some());
    assert_eq!(hit.successors[0].document_id, FACT_SHEET_IDS + 5);
    // FA 20 cites FA 37: it comes right after the pinned sheet.
    assert_eq!(rank(&search(&req("faktaark 37")), "FA-20"), Some(2));
    // A kind filter that excludes fact sheets excludes the pin too.
    let guides = search(&SearchRequest {
        kind: Some("guide".into()),
        ..req("FA 37")
    });
    assert_eq!(rank(&guides, "FA-37"), None);
}

#[test]
fn withdrawn_documents_are_hidden_but_counted() {
    let removed = "eFormidling/Selvhjelp/eformidling_selfhelp_typical_errors.md";
    let default = search(&SearchRequest {
        limit: 100,
        ..req("typiske feil")
    });
    assert_eq!(rank(&default, removed), None);
    assert!(default.withdrawn_hidden > 0);
    assert!(default.hits.iter().all(|h| h.status == "published"));
    assert!(default.facets.status.iter().all(|(s, _)| s == "published"));

    let all = search(&SearchRequest {
        include_withdrawn: true,
        limit: 100,
        ..req("typiske feil")
    });
    assert_eq!(all.withdrawn_hidden, 0);
    assert_eq!(all.total, default.total + default.withdrawn_hidden);
    let at = rank(&all, removed).expect("withdrawn document shown");
    assert!(at <= 3, "rank {at}");
    let hit = &all.hits[at - 1];
    assert_eq!(hit.status, "withdrawn");
    assert!(hit.withdrawn_on.is_some());
    assert!(all.facets.status.iter().any(|(s, _)| s == "withdrawn"));

    let only = search(&SearchRequest {
        status: Some("withdrawn".into()),
        ..req("typiske feil")
    });
    assert!(only.hits.iter().all(|h| h.status == "withdrawn"));
    assert_eq!(only.total, default.withdrawn_hidden);
}

#[test]
fn typos_are_tolerated_below_exact_matches() {
    // "virksomhetssertfikat" (missing i) is itself misspelt so in one document:
    // that one matches exactly and comes first; the right spelling follows.
    let results = search(&req("virksomhetssertfikat"));
    assert_eq!(rank(&results, "idporten/oidc/oidc_func_clientreg.md"), Some(1));
    assert!(results.hits[1].score < 100.0, "fuzzy below exact");
    assert!(rank(&results, "eFormidling/installasjon/forberede_installasjon.md").is_some_and(|r| r <= 5));
    // Typo-matched words are highlighted.
    let snippet = &results.hits[1].snippet_html;
    assert!(snippet.contains("<mark>virksomhetssertifikat"), "{snippet}");
    // A dropped letter.
    assert_rank("maskinportn", "Maskinporten/maskinporten_summary.md", 5);
    // The corpus misspells "integrasjonpunktet" too: exact first, then the
    // many documents with the right spelling.
    let results = search(&SearchRequest {
        limit: 20,
        ..req("integrasjonpunktet")
    });
    assert_eq!(rank(&results, "eInnsyn/einnsyn_innsynskrav.md"), Some(1));
    assert!(results.total > 20);
    assert!(results.hits[2].score < 100.0);
    // Short words get no fuzziness: "tokn" finds nothing, "token" many.
    assert_eq!(search(&req("tokn")).total, 0);
}

#[test]
fn all_words_first() {
    let results = search(&SearchRequest {
        limit: 100,
        ..req("logging tilgang")
    });
    // Each clause matched adds 10,000.
    let both = results.hits.iter().take_while(|h| h.score >= 20_000.0).count();
    assert!(both > 0 && both < results.total, "{both} of {}", results.total);
    assert_eq!(rank(&results, "FA-20"), Some(1));
    let one_word_only = search(&req("qqzzxx tilgang"));
    assert!(one_word_only.hits.iter().all(|h| h.score < 20_000.0));
}

#[test]
fn phrases_and_prefixes() {
    let results = search(&req(r#""høye krav til sikkerhet""#));
    assert_eq!(results.total, 2, "{:?}", ids(&results));
    assert_rank(r#""høye krav til sikkerhet""#, "idporten/oidc/ansattporten_guide.md", 2);
    let prefix = search(&SearchRequest {
        limit: 100,
        ..req("virksomhetssert*")
    });
    assert!(prefix.total >= 50, "{}", prefix.total);
    assert!(
        prefix.hits[0].snippet_html.contains("<mark>Virksomhetssert")
            || prefix.hits[0].snippet_html.contains("<mark>virksomhetssert")
    );
}

#[test]
fn unreadable_queries_are_plain_words() {
    for q in [
        r#""unclosed"#,
        "AND OR ((",
        "((((",
        "*",
        "-",
        r#""""#,
        "\u{0}<>&",
        "--x",
        "a:b",
    ] {
        let results = search(&req(q));
        assert!(results.hits.len() <= 10, "{q}");
    }
    assert!(search(&req("AND OR ((")).total > 0);
    assert!(matches!(
        shared().search(&req(&"x ".repeat(800))),
        Err(index::SearchError::InvalidQuery(_))
    ));
}

#[test]
fn facets_paging_and_sorting() {
    let all = search(&SearchRequest {
        limit: 100,
        ..req("maskinporten")
    });
    let facet_sum: u64 = all.facets.language.iter().map(|(_, n)| n).sum();
    assert_eq!(facet_sum as usize, all.total);
    let kinds: u64 = all.facets.kind.iter().map(|(_, n)| n).sum();
    assert_eq!(kinds as usize, all.total);

    let page1 = search(&SearchRequest {
        limit: 5,
        ..req("maskinporten")
    });
    let page2 = search(&SearchRequest {
        limit: 5,
        offset: 5,
        ..req("maskinporten")
    });
    assert_eq!(ids(&page1), ids(&all)[..5]);
    assert_eq!(ids(&page2), ids(&all)[5..10]);
    assert_eq!(page2.total, all.total);

    let english = search(&SearchRequest {
        language: Some("en".into()),
        ..req("maskinporten")
    });
    assert_eq!(english.facets.language, vec![("en".to_string(), english.total as u64)]);

    let by_date = search(&SearchRequest {
        sort: Sort::Date,
        limit: 50,
        ..req("maskinporten")
    });
    let dates: Vec<_> = by_date.hits.iter().map(|h| h.published_on).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    // No query: a listing, by title, filtered.
    let sheets = search(&SearchRequest {
        kind: Some("fact_sheet".into()),
        ..req("")
    });
    let titles: Vec<_> = sheets.hits.iter().map(|h| h.title.to_lowercase()).collect();
    assert_eq!(sheets.total, 5);
    assert_eq!(sheets.withdrawn_hidden, 1);
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    let capped = search(&SearchRequest { limit: 1000, ..req("") });
    assert_eq!(capped.hits.len(), index::MAX_LIMIT);
}

#[test]
fn snippets_mark_words_and_escape_the_rest() {
    let results = search(&req("tilgangsstyring"));
    let snippet = &results.hits[0].snippet_html;
    assert!(snippet.contains("<mark>tilgangsstyring</mark>"), "{snippet}");
    assert!(!snippet.contains("<a") && !snippet.contains("{%"), "{snippet}");
    assert!(snippet.chars().count() < 300, "{snippet}");
    let plain = search(&SearchRequest {
        snippets: false,
        ..req("tilgangsstyring")
    });
    assert!(plain.hits.iter().all(|h| h.snippet_html.is_empty()));
}

/// A small index of fact sheets and guides named as in Normen's catalogue.
fn catalogue_index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut entries = vec![
        fact_sheet(1, "06", "Sikkerhetsrevisjon", "Revisjon av sikkerheten."),
        fact_sheet(2, "01", "Ansvar og organisering", "Ledelsens ansvar."),
        fact_sheet(3, "20a", "Sikkerhets- og samhandlingsarkitektur (a)", "Arkitektur."),
        fact_sheet(4, "20b", "Sikkerhets- og samhandlingsarkitektur (b)", "Arkitektur."),
        fact_sheet(
            5,
            "37",
            "Sikkerhetskrav i prosjekter",
            "Krav i IKT-prosjekter, se kapittel 37.",
        ),
        fact_sheet(6, "15", "Logging", "Se faktaark 37 og 06."),
    ];
    let mut guide = fact_sheet(
        7,
        "",
        "Veileder om risikostyring i informasjonssikkerhet og personvern",
        "Hvordan styre informasjonssikkerhet.",
    );
    guide.kind = "guide".into();
    guide.number = None;
    guide.url = "https://example.org/veileder/risikostyring".into();
    let mut withdrawn = fact_sheet(8, "07", "Risikovurdering", "Vurdering av trusler og sårbarheter.");
    withdrawn.status = "withdrawn".into();
    withdrawn.withdrawn_on = chrono::NaiveDate::from_ymd_opt(2024, 6, 1);
    withdrawn.successors = vec![index::SuccessorRef {
        document_id: guide.document_id,
        title: guide.title.clone(),
        url: guide.url.clone(),
    }];
    entries.push(guide);
    entries.push(withdrawn);
    index.rebuild(entries, 1, &mut |_| {}).unwrap();
    index
}

fn numbers(results: &index::SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| h.number.clone().unwrap_or_default())
        .collect()
}

#[test]
fn numbers_as_people_type_them() {
    let index = catalogue_index();
    for (q, first) in [
        ("faktaark 6", "06"),
        ("FA 6", "06"),
        ("faktaark 1", "01"),
        ("37", "37"),
        ("faktark 37", "37"),
        ("Faktaark 06", "06"),
    ] {
        let results = index.search(&req(q)).unwrap();
        assert_eq!(numbers(&results).first().map(String::as_str), Some(first), "{q}");
    }
    // "FA 20": there is no 20, but its parts a and b.
    let results = index.search(&req("FA 20")).unwrap();
    assert_eq!(numbers(&results)[..2], ["20a", "20b"]);
    // A lettered number names that part only.
    let results = index.search(&req("FA 20b")).unwrap();
    assert_eq!(numbers(&results)[0], "20b");
    assert!(!numbers(&results).contains(&"20a".to_string()));
    // "faktaark 6" means 06: the sheet that cites "faktaark ... 06" follows... as citing 37 does.
    let results = index.search(&req("faktaark 37")).unwrap();
    assert_eq!(numbers(&results)[..2], ["37", "15"]);
    // "37" alone: the sheet first, then the text that mentions 37.
    let results = index.search(&req("37")).unwrap();
    assert_eq!(numbers(&results)[0], "37");
}

#[test]
fn compound_heads_are_found_below_exact_matches() {
    let index = catalogue_index();
    let all = SearchRequest {
        include_withdrawn: true,
        ..req("risiko")
    };
    let results = index.search(&all).unwrap();
    let titles: Vec<&str> = results.hits.iter().map(|h| h.title.as_str()).collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Veileder om risikostyring")),
        "{titles:?}"
    );
    assert!(titles.contains(&"Risikovurdering"), "{titles:?}");
    let guide = results.hits.iter().find(|h| h.title.starts_with("Veileder")).unwrap();
    assert!(guide.snippet_html.contains("<mark>"), "{}", guide.snippet_html);
    let results = index.search(&req("samhandling")).unwrap();
    assert_eq!(numbers(&results)[..2], ["20a", "20b"]);
    // On the corpus: "informasjon" heads "informasjonssikkerhet" in documents that never say
    // "informasjon" alone, and those rank below the exact matches.
    let results = search(&SearchRequest {
        limit: 100,
        ..req("informasjon")
    });
    let exact = results.hits.iter().take_while(|h| h.score >= 100.0).count();
    assert!(exact > 0 && results.total > exact, "{exact} of {}", results.total);
}

#[test]
fn text_typed_in_nfd_finds_what_nfc_finds() {
    let nfc = search(&req("Håndtering"));
    let nfd = search(&req("Ha\u{30a}ndtering"));
    assert!(nfc.total > 0);
    assert_eq!(ids(&nfd), ids(&nfc));
    assert_eq!(nfd.total, nfc.total);
}

#[test]
fn a_title_matching_the_query_as_a_phrase_ranks_above_repeating_bodies() {
    // Bodies about OAuth repeat "access" and "token" far more often than this title says them.
    let results = search(&req("access token"));
    assert!(
        rank(&results, "oidc_old/oidc_protocol_access_token.md").is_some_and(|r| r <= 2),
        "{:#?}",
        ids(&results)
    );
    let phrase_titles: Vec<bool> = results
        .hits
        .iter()
        .map(|h| h.title.to_lowercase().contains("access token"))
        .collect();
    assert!(phrase_titles[0], "{:#?}", ids(&results));
    assert!(
        phrase_titles.windows(2).all(|w| w[0] || !w[1]),
        "every title with the phrase comes before the others: {phrase_titles:?}"
    );
    assert_rank("token endpoint", "idporten/oidc/oidc_protocol_token.md", 2);
}

#[test]
fn a_search_that_finds_only_withdrawn_material_names_it_and_its_successors() {
    let index = catalogue_index();
    let results = index.search(&req("risikovurdering")).unwrap();
    assert_eq!(results.total, 0);
    assert_eq!(results.withdrawn_hidden, 1);
    assert_eq!(results.withdrawn_only.len(), 1);
    let gone = &results.withdrawn_only[0];
    assert_eq!(gone.number.as_deref(), Some("07"));
    assert_eq!(gone.status, "withdrawn");
    assert!(gone.successors[0].title.starts_with("Veileder om risikostyring"));
    assert_eq!(results.suggestion, None);
    // With the withdrawn shown, or with hits, there is nothing to say.
    let shown = index
        .search(&SearchRequest {
            include_withdrawn: true,
            ..req("risikovurdering")
        })
        .unwrap();
    assert!(shown.withdrawn_only.is_empty());
    assert!(index.search(&req("risiko")).unwrap().withdrawn_only.is_empty());
}

#[test]
fn a_search_with_no_hits_suggests_a_known_spelling() {
    // Two edits away: too far for typo tolerance, near enough for a suggestion.
    for (q, better) in [
        ("mskinportn", "maskinporten"),
        ("smatykek", "samtykke"),
        ("integrasjnspnktet", "integrasjonspunktet"),
        // Short words get no typo tolerance, but a suggestion one edit away.
        ("tokn", "token"),
        // Quotes stay, and excluded words are left as typed.
        ("\"smatykek\" -mskinportn", "\"samtykke\" -mskinportn"),
    ] {
        let results = search(&req(q));
        assert_eq!(results.total + results.withdrawn_hidden, 0, "{q}");
        assert_eq!(results.suggestion.as_deref(), Some(better), "{q}");
    }
    // Nothing near: no suggestion; hits: no suggestion.
    assert_eq!(search(&req("zqxjkvwy")).suggestion, None);
    assert_eq!(search(&req("maskinporten")).suggestion, None);
}
