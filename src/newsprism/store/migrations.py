"""Schema migrations, applied in order, each once, each in its own transaction.

A migration is named, never renumbered; a new one goes at the end of MIGRATIONS. The store records the
names applied, so two features adding tables never collide on a version number.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_articles",
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            outlet TEXT,
            url TEXT,
            byline TEXT,
            published TEXT,
            language TEXT,
            path TEXT,
            data TEXT NOT NULL,           -- full Article JSON (paragraphs, captions, boilerplate, extra)
            text_hash TEXT NOT NULL,      -- exact-duplicate key over the normalized body
            ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_text_hash ON articles(text_hash);
        -- every place an article was seen: wire copies and re-posts keep all their outlets
        CREATE TABLE sightings (
            article_id TEXT NOT NULL REFERENCES articles(id),
            source TEXT NOT NULL,         -- input path or URL
            outlet TEXT,
            url TEXT,
            PRIMARY KEY (article_id, source)
        );
        -- near-duplicates (MinHash/LSH): `article_id` copies `original_id`
        CREATE TABLE near_duplicates (
            article_id TEXT NOT NULL REFERENCES articles(id),
            original_id TEXT NOT NULL REFERENCES articles(id),
            similarity REAL NOT NULL,
            PRIMARY KEY (article_id, original_id)
        );
        CREATE TABLE minhashes (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            signature BLOB NOT NULL
        );
        CREATE TABLE rejections (
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """,
    ),
    (
        "0002_analysis",
        """
        CREATE TABLE analyses (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            data TEXT NOT NULL            -- sentences with offsets, entities, dates, quantities
        );
        CREATE TABLE embeddings (
            key TEXT NOT NULL,            -- article id, or sha of a sentence text
            model TEXT NOT NULL,          -- versioned embedder name
            kind TEXT NOT NULL,           -- 'article' | 'title' | 'sentence'
            vector BLOB NOT NULL,         -- float32 little-endian
            PRIMARY KEY (key, model, kind)
        );
        """,
    ),
    (
        "0003_stories",
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,          -- stable: never renumbered
            storyline_id TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            first_published TEXT,
            last_published TEXT,
            state BLOB,                   -- clusterer state (centroid etc.)
            composed TEXT,                -- Story JSON, null until composed
            dirty INTEGER NOT NULL DEFAULT 1,
            retired_into TEXT             -- set when merged into another story
        );
        CREATE TABLE story_articles (
            story_id TEXT NOT NULL REFERENCES stories(id),
            article_id TEXT NOT NULL REFERENCES articles(id),
            score REAL,
            PRIMARY KEY (article_id)
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        CREATE TABLE story_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,           -- 'merge' | 'split'
            story_id TEXT NOT NULL,
            other_id TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            detail TEXT
        );
        CREATE TABLE storylines (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            data TEXT
        );
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """,
    ),
    (
        "0004_outlets",
        """
        CREATE TABLE outlets (
            name TEXT PRIMARY KEY,
            data TEXT NOT NULL            -- registry entry and ratings JSON, with the source of each figure
        );
        """,
    ),
    (
        "0005_forecasts",
        """
        CREATE TABLE forecasts (
            id TEXT PRIMARY KEY,          -- platform:native id
            platform TEXT NOT NULL,
            data TEXT NOT NULL
        );
        """,
    ),
    (
        "0006_search",
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title, text, outlet);
        CREATE VIRTUAL TABLE stories_fts USING fts5(id UNINDEXED, headline, body);
        """,
    ),
    (
        "0007_fetch_cache",
        """
        -- validators of pages fetched with --fetch: the next run sends a conditional GET (304: unchanged)
        CREATE TABLE fetch_cache (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            fetched_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0009_storylines_linked_at",
        """
        -- when link_storylines last placed the story: a story updated since then (or never placed) is
        -- linked again, so a run costs what changed, not what the archive holds
        ALTER TABLE stories ADD COLUMN linked_at TEXT;
        """,
    ),
    (
        "0008_story_splits",
        """
        -- a story found to hold two events: `story_id` keeps its id and the larger part, the articles
        -- listed moved to the new story `new_story_id` (also a 'split' row in story_events)
        CREATE TABLE story_splits (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            story_id TEXT NOT NULL REFERENCES stories(id),
            new_story_id TEXT NOT NULL UNIQUE REFERENCES stories(id),
            articles TEXT NOT NULL,       -- JSON list of the article ids moved to new_story_id
            apart REAL NOT NULL,          -- mean p(same story) across the two parts (low: clearly apart)
            together REAL NOT NULL,       -- mean p(same story) within the parts
            reason TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX story_splits_story ON story_splits(story_id);
        """,
    ),
    (
        "0010_live_cycles",
        """
        -- `newsprism run`: one row per cycle; status 'running' on a row whose process died means the
        -- cycle was interrupted (the next one finishes its work)
        CREATE TABLE cycles (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',   -- running | done | stopped
            feeds INTEGER NOT NULL DEFAULT 0,
            new_articles INTEGER NOT NULL DEFAULT 0,
            stories_changed INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            seconds REAL,
            stages TEXT                               -- JSON {stage: seconds}
        );
        -- what failed in a cycle: a feed (url = feed) or one of its pages
        CREATE TABLE feed_errors (
            cycle_id INTEGER NOT NULL REFERENCES cycles(id),
            feed TEXT NOT NULL,
            url TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE INDEX feed_errors_cycle ON feed_errors(cycle_id);
        -- the latest outcome of each feed the loop reads
        CREATE TABLE live_feeds (
            url TEXT PRIMARY KEY,
            outlet TEXT,
            last_fetched TEXT,
            last_ok TEXT,
            last_status TEXT,
            last_error TEXT,
            errors_in_row INTEGER NOT NULL DEFAULT 0,
            articles INTEGER NOT NULL DEFAULT 0
        );
        -- the loop asks "is this item's link stored already?" for every feed item
        CREATE INDEX sightings_url ON sightings(url);
        CREATE INDEX rejections_source ON rejections(source);
        """,
    ),
]
