//! One pass over the matching documents: the top of the page (by score, date
//! or title), the total, the withdrawn documents hidden by default, and facet
//! counts, all over the same filtered set.

use std::cmp::Ordering;
use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::{KIND, LANGUAGE, PUBLISHED, STATUS, TITLE_SORT};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Best score first.
    Score,
    /// Newest `published_on` first (undated last), then best score.
    Date,
    /// Title A-Z.
    Title,
}

/// One ranked hit.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub address: DocAddress,
    pub score: Score,
    date: Option<i64>,
    title: String,
}

fn compare(order: Order, a: &Ranked, b: &Ranked) -> Ordering {
    let by_score = || b.score.total_cmp(&a.score);
    let by_address = || a.address.cmp(&b.address);
    match order {
        Order::Score => by_score().then_with(by_address),
        Order::Date => b.date.cmp(&a.date).then_with(by_score).then_with(by_address),
        Order::Title => a.title.cmp(&b.title).then_with(by_address),
    }
}

/// Counts of one facet: value -> documents.
pub type Counts = HashMap<String, u64>;

/// What a search collects.
#[derive(Debug, Default)]
pub struct Page {
    /// The best `k` hits, in order.
    pub hits: Vec<Ranked>,
    /// Visible matching documents.
    pub total: usize,
    /// Matching documents left out because they are withdrawn.
    pub withdrawn_hidden: usize,
    pub kind: Counts,
    pub language: Counts,
    pub status: Counts,
}

/// The collector.
pub struct PageCollector {
    /// How many hits to keep (offset + limit).
    pub k: usize,
    pub order: Order,
    /// Hide withdrawn documents (and count them).
    pub hide_withdrawn: bool,
    /// Documents handled by the caller (pinned number matches): not collected.
    pub skip: Vec<DocAddress>,
    /// Whether the query computes scores (false when listing).
    pub scoring: bool,
}

/// A string fast column with per-ordinal counts.
struct Facet {
    column: Option<StrColumn>,
    counts: Vec<u64>,
}

impl Facet {
    fn open(reader: &SegmentReader, name: &str) -> tantivy::Result<Self> {
        let column = reader.fast_fields().str(name)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(Facet {
            column,
            counts: vec![0; terms],
        })
    }

    fn ord(&self, doc: DocId) -> Option<u64> {
        self.column.as_ref()?.ords().first(doc)
    }

    fn count(&mut self, doc: DocId) {
        if let Some(ord) = self.ord(doc)
            && let Some(slot) = usize::try_from(ord).ok().and_then(|o| self.counts.get_mut(o))
        {
            *slot += 1;
        }
    }

    fn harvest(self, into: &mut Counts) {
        let Some(column) = self.column else {
            return;
        };
        let mut value = String::new();
        for (ord, count) in self.counts.into_iter().enumerate() {
            if count > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                *into.entry(value.clone()).or_default() += count;
            }
        }
    }
}

/// Per segment: hits keep the title ordinal until harvest.
struct SegmentHit {
    doc: DocId,
    score: Score,
    date: Option<i64>,
    title_ord: u64,
}

/// The per-segment part of [`PageCollector`].
pub struct PageSegmentCollector {
    segment: SegmentOrdinal,
    k: usize,
    order: Order,
    skip: Vec<DocId>,
    withdrawn_ord: Option<u64>,
    hits: Vec<SegmentHit>,
    dates: Option<Column<i64>>,
    titles: Option<StrColumn>,
    total: usize,
    hidden: usize,
    kind: Facet,
    language: Facet,
    status: Facet,
}

impl PageSegmentCollector {
    fn compare(&self, a: &SegmentHit, b: &SegmentHit) -> Ordering {
        let by_score = || b.score.total_cmp(&a.score);
        let by_doc = || a.doc.cmp(&b.doc);
        match self.order {
            Order::Score => by_score().then_with(by_doc),
            Order::Date => b.date.cmp(&a.date).then_with(by_score).then_with(by_doc),
            Order::Title => a.title_ord.cmp(&b.title_ord).then_with(by_doc),
        }
    }

    /// Keeps the best `k` of the buffer (amortised: only when it is full).
    fn prune(&mut self) {
        if self.hits.len() > self.k {
            let k = self.k;
            let mut hits = std::mem::take(&mut self.hits);
            hits.select_nth_unstable_by(k, |a, b| self.compare(a, b));
            hits.truncate(k);
            self.hits = hits;
        }
    }
}

impl Collector for PageCollector {
    type Fruit = Page;
    type Child = PageSegmentCollector;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PageSegmentCollector> {
        let status = Facet::open(reader, STATUS)?;
        let withdrawn_ord = match (&status.column, self.hide_withdrawn) {
            (Some(column), true) => column.dictionary().term_ord(b"withdrawn")?,
            _ => None,
        };
        Ok(PageSegmentCollector {
            segment,
            k: self.k,
            order: self.order,
            skip: self
                .skip
                .iter()
                .filter(|a| a.segment_ord == segment)
                .map(|a| a.doc_id)
                .collect(),
            withdrawn_ord,
            hits: Vec::new(),
            dates: match self.order {
                Order::Date => reader.fast_fields().column_opt(PUBLISHED)?,
                _ => None,
            },
            titles: match self.order {
                Order::Title => reader.fast_fields().str(TITLE_SORT)?,
                _ => None,
            },
            total: 0,
            hidden: 0,
            kind: Facet::open(reader, KIND)?,
            language: Facet::open(reader, LANGUAGE)?,
            status,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegmentPage>) -> tantivy::Result<Page> {
        let mut page = Page::default();
        for fruit in fruits {
            page.hits.extend(fruit.hits);
            page.total += fruit.total;
            page.withdrawn_hidden += fruit.hidden;
            for (into, from) in [
                (&mut page.kind, fruit.kind),
                (&mut page.language, fruit.language),
                (&mut page.status, fruit.status),
            ] {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        page.hits.sort_by(|a, b| compare(self.order, a, b));
        page.hits.truncate(self.k);
        Ok(page)
    }
}

/// What one segment collected.
pub struct SegmentPage {
    hits: Vec<Ranked>,
    total: usize,
    hidden: usize,
    kind: Counts,
    language: Counts,
    status: Counts,
}

impl SegmentCollector for PageSegmentCollector {
    type Fruit = SegmentPage;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.skip.contains(&doc) {
            return;
        }
        if self.withdrawn_ord.is_some() && self.status.ord(doc) == self.withdrawn_ord {
            self.hidden += 1;
            return;
        }
        self.total += 1;
        self.kind.count(doc);
        self.language.count(doc);
        self.status.count(doc);
        if self.k == 0 {
            return;
        }
        let date = self.dates.as_ref().and_then(|c| c.first(doc));
        let title_ord = self
            .titles
            .as_ref()
            .and_then(|c| c.ords().first(doc))
            .unwrap_or(u64::MAX);
        self.hits.push(SegmentHit {
            doc,
            score,
            date,
            title_ord,
        });
        if self.hits.len() >= 2 * self.k + 64 {
            self.prune();
        }
    }

    fn harvest(mut self) -> SegmentPage {
        self.prune();
        let mut title = String::new();
        let hits = std::mem::take(&mut self.hits)
            .into_iter()
            .map(|hit| {
                title.clear();
                if let Some(column) = &self.titles {
                    let _ = column.ord_to_str(hit.title_ord, &mut title);
                }
                Ranked {
                    address: DocAddress::new(self.segment, hit.doc),
                    score: hit.score,
                    date: hit.date,
                    title: title.clone(),
                }
            })
            .collect();
        let mut page = SegmentPage {
            hits,
            total: self.total,
            hidden: self.hidden,
            kind: Counts::new(),
            language: Counts::new(),
            status: Counts::new(),
        };
        self.kind.harvest(&mut page.kind);
        self.language.harvest(&mut page.language);
        self.status.harvest(&mut page.status);
        page
    }
}
