// Reads feed documents with three real JavaScript feed clients and prints, as JSON, what each
// one shows for every item: the client-matrix tests (tests/test_client_matrix.py) compare it
// with the entries that went in. Usage: node read-feeds.mjs FILE...  (format from the suffix:
// .json is JSON Feed, anything else RSS or Atom).
import { readFileSync } from 'node:fs';
import { extract, extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { parseFeed } from 'feedsmith';
import Parser from 'rss-parser';

void extract; // the network fetcher; documents are read from disk here

const list = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const text = (value) => (typeof value === 'string' ? value : value?.value ?? value?._ ?? null);

// @extractus/feed-extractor: title, link, published, description (untruncated).
function readWithFeedExtractor(source, isJson) {
  const options = { descriptionMaxLen: 0, normalization: true };
  const feed = isJson ? extractFromJson(JSON.parse(source), options) : extractFromXml(source, options);
  return feed.entries.map((e) => ({
    id: e.id ?? null, title: e.title ?? null, link: e.link || null, date: e.published || null,
    authors: [], summary: e.description || null, content: null, enclosures: [],
  }));
}

// feedsmith: every format, each field where its specification puts it.
function readWithFeedsmith(source, isJson) {
  const { format, feed } = parseFeed(isJson ? JSON.parse(source) : source);
  if (format === 'json') {
    return list(feed.items).map((i) => ({
      id: i.id ?? null, title: i.title ?? null, link: i.url ?? null,
      date: i.date_published ?? i.date_modified ?? null,
      authors: list(i.authors).map((a) => a.name),
      summary: i.summary ?? null, content: i.content_html ?? i.content_text ?? null,
      enclosures: [...list(i.attachments).map((a) => a.url), ...list(i.image)],
    }));
  }
  if (format === 'atom') {
    return list(feed.entries).map((e) => ({
      id: e.id ?? null, title: text(e.title), link: list(e.links).find((l) => !l.rel || l.rel === 'alternate')?.href ?? null,
      date: e.published ?? e.updated ?? null,
      authors: list(e.authors).map((a) => a.name),
      summary: text(e.summary), content: text(e.content),
      enclosures: list(e.links).filter((l) => l.rel === 'enclosure').map((l) => l.href),
    }));
  }
  return list(feed.items).map((i) => ({
    id: text(i.guid), title: i.title ?? null, link: i.link ?? null,
    date: i.pubDate ?? i.atom?.updated ?? null,
    authors: [...list(i.authors), ...list(i.dc?.creators ?? i.dc?.creator)],
    summary: i.description ?? null, content: i.content?.encoded ?? null,
    enclosures: list(i.enclosures).map((e) => e.url),
  }));
}

// rss-parser: RSS and Atom (it does not read JSON Feed).
async function readWithRssParser(source, isJson) {
  if (isJson) return null;
  const feed = await new Parser().parseString(source);
  return feed.items.map((i) => ({
    id: i.guid ?? i.id ?? null, title: i.title ?? null, link: i.link ?? null, date: i.isoDate ?? null,
    authors: list(i.creator ?? i.author),
    summary: i.summary ?? i.contentSnippet ?? null, content: i['content:encoded'] ?? i.content ?? null,
    enclosures: list(i.enclosure).map((e) => e.url),
  }));
}

const clients = { '@extractus/feed-extractor': readWithFeedExtractor, feedsmith: readWithFeedsmith, 'rss-parser': readWithRssParser };
const out = {};
for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, 'utf8');
  const isJson = file.endsWith('.json');
  out[file] = {};
  for (const [name, read] of Object.entries(clients)) {
    try {
      const items = await read(source, isJson);
      if (items !== null) out[file][name] = { items };
    } catch (error) {
      out[file][name] = { error: String(error?.stack ?? error) };
    }
  }
}
process.stdout.write(JSON.stringify(out));
