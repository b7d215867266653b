//! One pass over the matching documents: the top of the page (by score, date
//! or title), the total, the withdrawn documents hidden by default, and facet
//! counts, all over the same filtered set.

use std::cmp::Ordering;
use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::schema::{DOCUMENT_ID, FACET_KEY, PUBLISHED, TITLE_SORT, WITHDRAWN, split_facet_key};
use crate::tiered::TieredScorer;

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
    /// Breaks ties between segments: their order depends on the indexing threads.
    document_id: i64,
}

fn compare(order: Order, a: &Ranked, b: &Ranked) -> Ordering {
    let by_score = || b.score.total_cmp(&a.score);
    let by_address = || a.document_id.cmp(&b.document_id).then(a.address.cmp(&b.address));
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

/// The facet-key column of one segment, with counts per key ordinal.
struct FacetKeys {
    column: Option<StrColumn>,
    /// The keys, by ordinal: read once, in one pass over the column's dictionary.
    keys: Vec<String>,
    /// Per key ordinal: whether entries with this key are withdrawn.
    withdrawn: Vec<bool>,
    counts: Vec<u64>,
}

impl FacetKeys {
    fn open(reader: &SegmentReader) -> tantivy::Result<Self> {
        let column = reader.fast_fields().str(FACET_KEY)?;
        let mut keys = Vec::new();
        if let Some(column) = &column {
            let mut stream = column.dictionary().stream()?;
            while stream.advance() {
                keys.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        let withdrawn = keys
            .iter()
            .map(|key| split_facet_key(key).is_some_and(|(_, _, status)| status == WITHDRAWN))
            .collect();
        Ok(FacetKeys {
            column,
            counts: vec![0; keys.len()],
            keys,
            withdrawn,
        })
    }

    fn ord(&self, doc: DocId) -> Option<usize> {
        let ord = self.column.as_ref()?.ords().first(doc)?;
        usize::try_from(ord).ok().filter(|&o| o < self.counts.len())
    }

    fn harvest(self, page: &mut SegmentPage) {
        for (key, count) in self.keys.iter().zip(self.counts) {
            if count == 0 {
                continue;
            }
            if let Some((kind, language, status)) = split_facet_key(key) {
                for (into, value) in [
                    (&mut page.kind, kind),
                    (&mut page.language, language),
                    (&mut page.status, status),
                ] {
                    *into.entry(value.to_string()).or_default() += count;
                }
            }
        }
    }
}

/// Per segment: hits keep the title ordinal until harvest.
#[derive(Clone, Copy)]
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
    hide_withdrawn: bool,
    hits: Vec<SegmentHit>,
    /// Once `k` hits are kept: the worst of them. A later match that does not rank above it
    /// cannot make the page and is only counted.
    worst_kept: Option<SegmentHit>,
    dates: Option<Column<i64>>,
    titles: Option<StrColumn>,
    document_ids: Option<Column<i64>>,
    total: usize,
    hidden: usize,
    facets: FacetKeys,
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

    /// Keeps the best `k` of the buffer (amortised: only when it is full) and remembers the
    /// worst of them.
    fn prune(&mut self) {
        if self.hits.len() >= self.k && self.k > 0 {
            let k = self.k;
            let mut hits = std::mem::take(&mut self.hits);
            hits.select_nth_unstable_by(k - 1, |a, b| self.compare(a, b));
            hits.truncate(k);
            self.worst_kept = Some(hits[k - 1]);
            self.hits = hits;
        }
    }

    /// Counts a match (total, facets, or hidden as withdrawn); whether it may be shown.
    fn count(&mut self, doc: DocId) -> bool {
        if self.skip.contains(&doc) {
            return false;
        }
        if let Some(key) = self.facets.ord(doc) {
            if self.hide_withdrawn && self.facets.withdrawn[key] {
                self.hidden += 1;
                return false;
            }
            self.facets.counts[key] += 1;
        }
        self.total += 1;
        self.k > 0
    }

    /// Whether a match whose score is at most `bound` can still make the page.
    fn may_rank(&self, bound: Score) -> bool {
        // Documents arrive in increasing order, so a tie with the worst kept hit loses.
        self.order != Order::Score || self.worst_kept.is_none_or(|worst| bound > worst.score)
    }

    /// Considers a counted match for the page.
    fn offer(&mut self, doc: DocId, score: Score) {
        let date = self.dates.as_ref().and_then(|c| c.first(doc));
        let title_ord = self
            .titles
            .as_ref()
            .and_then(|c| c.ords().first(doc))
            .unwrap_or(u64::MAX);
        let hit = SegmentHit {
            doc,
            score,
            date,
            title_ord,
        };
        if let Some(worst) = &self.worst_kept
            && self.compare(&hit, worst) != Ordering::Less
        {
            return;
        }
        self.hits.push(hit);
        if self.hits.len() >= 2 * self.k + 64 {
            self.prune();
        }
    }
}

impl Collector for PageCollector {
    type Fruit = Page;
    type Child = PageSegmentCollector;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PageSegmentCollector> {
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
            hide_withdrawn: self.hide_withdrawn,
            hits: Vec::new(),
            worst_kept: None,
            dates: match self.order {
                Order::Date => reader.fast_fields().column_opt(PUBLISHED)?,
                _ => None,
            },
            titles: match self.order {
                Order::Title => reader.fast_fields().str(TITLE_SORT)?,
                _ => None,
            },
            document_ids: reader.fast_fields().column_opt(DOCUMENT_ID)?,
            total: 0,
            hidden: 0,
            facets: FacetKeys::open(reader)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    /// Like tantivy's own, except that a [`TieredScorer`] is asked for a bound first: a match
    /// that cannot make the page is counted without computing its score (most matches of a
    /// query of several words match fewer of them than the page's worst hit).
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPage> {
        let mut segment = self.for_segment(segment_ord, reader)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        if !self.scoring {
            weight.for_each_no_score(reader, &mut |docs| {
                for &doc in docs.iter().filter(|&&doc| is_alive(doc)) {
                    segment.collect(doc, 0.0);
                }
            })?;
            return Ok(segment.harvest());
        }
        let mut scorer = weight.scorer(reader, 1.0)?;
        match scorer.downcast_mut::<TieredScorer>() {
            Some(tiered) => collect_scored(tiered, &mut segment, &is_alive, TieredScorer::score_bound),
            None => collect_scored(scorer.as_mut(), &mut segment, &is_alive, |_| Score::INFINITY),
        }
        Ok(segment.harvest())
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

/// Feeds every live match of `scorer` to `segment`, scoring only those whose `bound` lets them
/// make the page.
fn collect_scored<S: Scorer + ?Sized>(
    scorer: &mut S,
    segment: &mut PageSegmentCollector,
    is_alive: &dyn Fn(DocId) -> bool,
    bound: impl Fn(&S) -> Score,
) {
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        if is_alive(doc) && segment.count(doc) && segment.may_rank(bound(scorer)) {
            segment.offer(doc, scorer.score());
        }
        doc = scorer.advance();
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
        if self.count(doc) {
            self.offer(doc, score);
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
                    document_id: self
                        .document_ids
                        .as_ref()
                        .and_then(|c| c.first(hit.doc))
                        .unwrap_or(i64::MAX),
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
        self.facets.harvest(&mut page);
        page
    }
}
