"""Schema migrations, applied in order, each once, each in its own transaction.

A migration is named, never renumbered; a new one goes at the end of MIGRATIONS. The store records the
names applied, so two features adding tables never collide on a version number.
"""

from __future__ import annotations

# What the publisher lists of a story (front page, feeds, search, API lists), derived in SQL from
# `stories.composed` by the triggers of 0010_story_summaries, so every writer (compose, batch, load, a
# test fixture) keeps it current in the same transaction and no reader parses every story's JSON.
# Read defensively: a field the composer drops is NULL, JSON that is not valid makes the story unlisted.
_SUMMARY_SELECT = """
    SELECT story_id, version, changed_at, live, ok, headline, date, lead, cov_left, cov_center, cov_right,
           cov_unknown, sources, outlets, n_outlets, sources_leans, forecasts, storyline_id, first_published,
           last_published, coalesce(last_published, date),
           ln(1 + sources) + 1.5 * ln(1 + n_outlets)
    FROM (
      SELECT s.id AS story_id,
        (SELECT coalesce(max(version), 0) + 1 FROM story_summaries) AS version,
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS changed_at,
        (s.composed IS NOT NULL AND json_valid(s.composed) AND s.retired_into IS NULL) AS live,
        (s.composed IS NOT NULL AND json_valid(s.composed)) AS ok,
        CASE WHEN json_valid(s.composed) THEN json_extract(s.composed, '$.headline') END AS headline,
        CASE WHEN json_valid(s.composed) THEN json_extract(s.composed, '$.date') END AS date,
        CASE WHEN json_valid(s.composed) THEN coalesce(nullif(json_extract(s.composed, '$.lead'), ''),
          json_extract(s.composed, '$.facts[0].text'), '') ELSE '' END AS lead,
        CASE WHEN json_valid(s.composed) THEN coalesce(json_extract(s.composed, '$.coverage.left'), 0) END
          AS cov_left,
        CASE WHEN json_valid(s.composed) THEN coalesce(json_extract(s.composed, '$.coverage.center'), 0) END
          AS cov_center,
        CASE WHEN json_valid(s.composed) THEN coalesce(json_extract(s.composed, '$.coverage.right'), 0) END
          AS cov_right,
        CASE WHEN json_valid(s.composed) THEN coalesce(json_extract(s.composed, '$.coverage.unknown'), 0) END
          AS cov_unknown,
        max((SELECT count(*) FROM story_articles sa WHERE sa.story_id = s.id),
            CASE WHEN json_valid(s.composed) THEN json_array_length(s.composed, '$.articles') ELSE 0 END)
          AS sources,
        CASE WHEN json_valid(s.composed) THEN (SELECT json_group_array(o) FROM (
          SELECT json_extract(value, '$.outlet') AS o FROM json_each(s.composed, '$.articles')
          WHERE type = 'object' AND o IS NOT NULL AND o != '' GROUP BY o ORDER BY min(key)))
          ELSE '[]' END AS outlets,
        CASE WHEN json_valid(s.composed) THEN
          (SELECT count(DISTINCT nullif(json_extract(value, '$.outlet'), ''))
           FROM json_each(s.composed, '$.articles') WHERE type = 'object') ELSE 0 END AS n_outlets,
        CASE WHEN json_valid(s.composed) THEN (SELECT json_group_array(json_array(o, l)) FROM (
          SELECT DISTINCT json_extract(value, '$.outlet') AS o, json_extract(value, '$.lean') AS l
          FROM json_each(s.composed, '$.articles') WHERE type = 'object'))
          ELSE '[]' END AS sources_leans,
        CASE WHEN json_valid(s.composed) AND json_array_length(s.composed, '$.forecasts') > 0 THEN
          (SELECT json_group_array(json_array(json_extract(value, '$.platform'), json_extract(value, '$.url'),
            json_extract(value, '$.question'))) FROM json_each(s.composed, '$.forecasts')
            WHERE type = 'object')
          END AS forecasts,
        s.storyline_id, s.first_published, s.last_published
      FROM stories s
"""
_NEXT_VERSION = "(SELECT coalesce(max(version), 0) + 1 FROM story_summaries)"
# The day an article is on (0014_editions): its date as written, only when it starts as a calendar date.
_DAY_OF = "substr(a.published, 1, 10)"
_DATED = "a.published GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*'"
_DAY_DROP = (
    "UPDATE story_days SET articles = articles - 1 WHERE story_id = {story} AND day ="
    f" (SELECT {_DAY_OF} FROM articles a WHERE a.id = {{article}} AND {_DATED});"
    " DELETE FROM story_days WHERE story_id = {story} AND articles <= 0;"
)
# the section column of 0015_story_sections, appended to a summary row made by _SUMMARY_SELECT
_SECTION_OF_NEW = "CASE WHEN json_valid(NEW.composed) THEN json_extract(NEW.composed, '$.section') END"
# the framing split of 0018_story_framing_split (Story.framing_split), appended after the section
_SPLIT_OF_NEW = (
    "CASE WHEN json_valid(NEW.composed) AND json_type(NEW.composed, '$.framing_split') IN ('real', 'integer')"
    " THEN json_extract(NEW.composed, '$.framing_split') END"
)
# Search ranks articles (bm25) in an index of only this many newest articles: bm25 first counts, for each
# query term, every indexed row holding it, so over the whole archive its cost grew with the archive
# (bench/archive.py: 0.16 ms at 10k articles, 7.2 ms at 460k for "president"). Older matches are still
# found, in `articles_fts` (see `Reader.search`).
SEARCH_RECENT_ARTICLES = 20_000
_IN_RECENT = "(SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'articles') - " + str(
    SEARCH_RECENT_ARTICLES)

# The same for stories: bm25 over `stories_fts` counted every story holding each query term, and a store
# of 1M articles holds ~100k stories (0.09 ms at 1,079 stories, 1.26 ms at 107,900 for "north korea
# missile"). Stories are ranked in an index of the newest SEARCH_RECENT_STORIES rows of `stories_fts`
# (by rowid: a recomposed story is indexed anew, so this is the most recently composed); older matches are
# still found in `stories_fts`, after the scored ones (see `Reader.search`).
SEARCH_RECENT_STORIES = 5_000

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
        "0010_story_summaries",
        f"""
        -- one row per story as the publisher lists it (see _SUMMARY_SELECT); `version` rises (past every
        -- other row's) whenever what the row shows changes, so max(version) versions the front page and
        -- a row's version its page: the server caches rendered pages by these
        CREATE TABLE story_summaries (
            story_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            changed_at TEXT NOT NULL,
            live INTEGER NOT NULL,        -- composed (valid JSON) and not retired
            ok INTEGER NOT NULL,          -- composed JSON present and valid
            headline TEXT,
            date TEXT,
            lead TEXT NOT NULL,
            cov_left INTEGER, cov_center INTEGER, cov_right INTEGER, cov_unknown INTEGER,
            sources INTEGER NOT NULL,     -- articles behind the story
            outlets TEXT NOT NULL,        -- JSON list of distinct outlet names, first-seen order
            n_outlets INTEGER NOT NULL,
            sources_leans TEXT NOT NULL,  -- JSON list of distinct [outlet, lean] of its articles
            forecasts TEXT,               -- JSON list of [platform, url, question], NULL when none
            storyline_id TEXT,
            first_published TEXT,
            last_published TEXT,
            rank_time TEXT,               -- coalesce(last_published, date): recency for ranking
            weight REAL NOT NULL          -- the size part of the front-page score (queries.significance)
        );
        INSERT INTO story_summaries {_SUMMARY_SELECT});
        CREATE INDEX story_summaries_rank ON story_summaries(live, rank_time);
        CREATE INDEX story_summaries_weight ON story_summaries(live, weight);
        CREATE INDEX story_summaries_storyline ON story_summaries(storyline_id, version);
        CREATE INDEX story_summaries_version ON story_summaries(version);
        CREATE INDEX story_summaries_forecasts ON story_summaries(story_id) WHERE forecasts IS NOT NULL;
        CREATE TRIGGER story_summaries_insert AFTER INSERT ON stories BEGIN
            INSERT OR REPLACE INTO story_summaries {_SUMMARY_SELECT} WHERE s.id = NEW.id);
        END;
        CREATE TRIGGER story_summaries_composed AFTER UPDATE OF composed ON stories
        WHEN NEW.composed IS NOT OLD.composed BEGIN
            INSERT OR REPLACE INTO story_summaries {_SUMMARY_SELECT} WHERE s.id = NEW.id);
        END;
        CREATE TRIGGER story_summaries_fields
        AFTER UPDATE OF storyline_id, first_published, last_published, retired_into ON stories
        WHEN NEW.storyline_id IS NOT OLD.storyline_id OR NEW.first_published IS NOT OLD.first_published
          OR NEW.last_published IS NOT OLD.last_published OR NEW.retired_into IS NOT OLD.retired_into BEGIN
            UPDATE story_summaries SET storyline_id = NEW.storyline_id, first_published = NEW.first_published,
              last_published = NEW.last_published, rank_time = coalesce(NEW.last_published, date),
              live = (ok AND NEW.retired_into IS NULL), version = {_NEXT_VERSION},
              changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE story_id = NEW.id;
        END;
        CREATE TRIGGER story_summaries_delete AFTER DELETE ON stories BEGIN
            UPDATE story_summaries SET live = 0, version = {_NEXT_VERSION} WHERE story_id = OLD.id;
        END;
        -- a storyline's title shows on the pages of its stories
        CREATE TRIGGER story_summaries_storyline_insert AFTER INSERT ON storylines BEGIN
            UPDATE story_summaries SET version = {_NEXT_VERSION} WHERE storyline_id = NEW.id;
        END;
        CREATE TRIGGER story_summaries_storyline_update AFTER UPDATE ON storylines
        WHEN NEW.title IS NOT OLD.title OR NEW.id IS NOT OLD.id BEGIN
            UPDATE story_summaries SET version = {_NEXT_VERSION} WHERE storyline_id IN (NEW.id, OLD.id);
        END;
        CREATE TRIGGER story_summaries_storyline_delete AFTER DELETE ON storylines BEGIN
            UPDATE story_summaries SET version = {_NEXT_VERSION} WHERE storyline_id = OLD.id;
        END;
        -- the outlet registry and the forecast questions version the pages that show them
        INSERT OR IGNORE INTO counters (name, value) VALUES ('publish_outlets', 0), ('publish_forecasts', 0);
        CREATE TRIGGER publish_outlets_insert AFTER INSERT ON outlets BEGIN
            UPDATE counters SET value = value + 1 WHERE name = 'publish_outlets';
        END;
        CREATE TRIGGER publish_outlets_update AFTER UPDATE ON outlets BEGIN
            UPDATE counters SET value = value + 1 WHERE name = 'publish_outlets';
        END;
        CREATE TRIGGER publish_outlets_delete AFTER DELETE ON outlets BEGIN
            UPDATE counters SET value = value + 1 WHERE name = 'publish_outlets';
        END;
        CREATE TRIGGER publish_forecasts_insert AFTER INSERT ON forecasts BEGIN
            UPDATE counters SET value = value + 1 WHERE name = 'publish_forecasts';
        END;
        CREATE TRIGGER publish_forecasts_update AFTER UPDATE ON forecasts BEGIN
            UPDATE counters SET value = value + 1 WHERE name = 'publish_forecasts';
        END;
        CREATE TRIGGER publish_forecasts_delete AFTER DELETE ON forecasts BEGIN
            UPDATE counters SET value = value + 1 WHERE name = 'publish_forecasts';
        END;
        -- an outlet's articles newest first, and all articles newest first, without sorting them all and
        -- without reading the rows (covering: an article's outlet and url sit after its long text)
        CREATE INDEX articles_outlet_listing ON articles(outlet, published, seq, id, title, url);
        CREATE INDEX articles_listing ON articles(published, seq, id, title, outlet, url);
        """,
    ),
    (
        "0011_live_cycles",
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
        CREATE INDEX IF NOT EXISTS rejections_source ON rejections(source);
        """,
    ),
    (
        "0012_story_relink",
        """
        -- a story whose articles changed since link_storylines placed it: set by triggers on its
        -- membership (not by composing, which changes nothing the storyline step reads), so a rerun
        -- after a kill links exactly what an uninterrupted run links
        -- (`resplit`, likewise: a story the split step has not examined since its articles changed)
        ALTER TABLE stories ADD COLUMN relink INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE stories ADD COLUMN resplit INTEGER NOT NULL DEFAULT 1;
        UPDATE stories SET relink = (linked_at IS NULL OR updated_at >= linked_at), resplit = dirty;
        CREATE TRIGGER story_articles_relink_insert AFTER INSERT ON story_articles BEGIN
            UPDATE stories SET relink = 1, resplit = 1 WHERE id = NEW.story_id;
        END;
        CREATE TRIGGER story_articles_relink_update AFTER UPDATE OF story_id ON story_articles BEGIN
            UPDATE stories SET relink = 1, resplit = 1 WHERE id IN (NEW.story_id, OLD.story_id);
        END;
        CREATE TRIGGER story_articles_relink_delete AFTER DELETE ON story_articles BEGIN
            UPDATE stories SET relink = 1, resplit = 1 WHERE id = OLD.story_id;
        END;
        """,
    ),
    (
        "0013_rejections_index",
        """
        -- a rerun checks each rejection against those recorded: an index keeps that linear in the inputs
        CREATE INDEX rejections_source_reason ON rejections(source, reason);
        """,
    ),
    (
        "0014_editions",
        f"""
        -- editions: the stories of each day. A story is on day D when one of its articles was published
        -- on D (the date as its outlet wrote it, `published[:10]`); undated articles place it on no day.
        -- `story_days` counts a story's articles per day and `edition_days` the stories per day, both
        -- kept by triggers on `story_articles` (every writer: cluster, split, merge, batch load, prune),
        -- so a day page reads one index range and the archive one small table, never the articles
        CREATE TABLE story_days (
            day TEXT NOT NULL,
            story_id TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (day, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_days_story ON story_days(story_id);
        CREATE TABLE edition_days (day TEXT PRIMARY KEY, stories INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO story_days (day, story_id, articles)
            SELECT {_DAY_OF}, sa.story_id, count(*) FROM story_articles sa
            JOIN articles a ON a.id = sa.article_id WHERE {_DATED} GROUP BY 1, 2;
        INSERT INTO edition_days (day, stories) SELECT day, count(*) FROM story_days GROUP BY day;
        CREATE TRIGGER story_days_row_insert AFTER INSERT ON story_days BEGIN
            INSERT INTO edition_days (day, stories) VALUES (NEW.day, 1)
            ON CONFLICT(day) DO UPDATE SET stories = stories + 1;
        END;
        CREATE TRIGGER story_days_row_delete AFTER DELETE ON story_days BEGIN
            UPDATE edition_days SET stories = stories - 1 WHERE day = OLD.day;
            DELETE FROM edition_days WHERE day = OLD.day AND stories <= 0;
        END;
        CREATE TRIGGER story_days_insert AFTER INSERT ON story_articles BEGIN
            INSERT INTO story_days (day, story_id, articles)
            SELECT {_DAY_OF}, NEW.story_id, 1 FROM articles a WHERE a.id = NEW.article_id AND {_DATED}
            ON CONFLICT(day, story_id) DO UPDATE SET articles = articles + 1;
        END;
        CREATE TRIGGER story_days_delete AFTER DELETE ON story_articles BEGIN
            {_DAY_DROP.format(story="OLD.story_id", article="OLD.article_id")}
        END;
        CREATE TRIGGER story_days_move AFTER UPDATE OF story_id ON story_articles
        WHEN NEW.story_id IS NOT OLD.story_id BEGIN
            {_DAY_DROP.format(story="OLD.story_id", article="OLD.article_id")}
            INSERT INTO story_days (day, story_id, articles)
            SELECT {_DAY_OF}, NEW.story_id, 1 FROM articles a WHERE a.id = NEW.article_id AND {_DATED}
            ON CONFLICT(day, story_id) DO UPDATE SET articles = articles + 1;
        END;
        -- retention (`newsprism prune`): undated articles age by when they were stored; the FTS rows of
        -- pruned articles and stories are found by id through their content tables, not by a scan
        CREATE INDEX articles_undated ON articles(ingested_at) WHERE published IS NULL;
        CREATE INDEX articles_fts_ids ON articles_fts_content(c0);
        CREATE INDEX stories_fts_ids ON stories_fts_content(c0);
        -- what a pruned story or article leaves behind is found through these, one lookup each
        CREATE INDEX stories_retired ON stories(retired_into) WHERE retired_into IS NOT NULL;
        CREATE INDEX stories_storyline ON stories(storyline_id) WHERE storyline_id IS NOT NULL;
        CREATE INDEX story_events_story ON story_events(story_id);
        CREATE INDEX story_events_other ON story_events(other_id);
        CREATE INDEX near_duplicates_original ON near_duplicates(original_id);
        -- a prune deletes rows, which can lower max(version) / max(seq): every page version includes
        -- this counter, raised by each prune that deleted anything, so no cached page outlives one
        INSERT OR IGNORE INTO counters (name, value) VALUES ('publish_pruned', 0);
        """,
    ),
    (
        "0015_story_sections",
        f"""
        -- a story's topic section (Story.section, decided when it is composed) beside the rest of its
        -- summary, so section pages and the front page's groups read it from an index, not from JSON.
        -- The summary triggers insert whole rows: they are remade with the section appended.
        ALTER TABLE story_summaries ADD COLUMN section TEXT;
        UPDATE story_summaries SET section = (SELECT CASE WHEN json_valid(s.composed)
            THEN json_extract(s.composed, '$.section') END FROM stories s WHERE s.id = story_id);
        DROP TRIGGER story_summaries_insert;
        DROP TRIGGER story_summaries_composed;
        CREATE TRIGGER story_summaries_insert AFTER INSERT ON stories BEGIN
            INSERT OR REPLACE INTO story_summaries SELECT x.*, {_SECTION_OF_NEW}
            FROM ({_SUMMARY_SELECT} WHERE s.id = NEW.id)) AS x;
        END;
        CREATE TRIGGER story_summaries_composed AFTER UPDATE OF composed ON stories
        WHEN NEW.composed IS NOT OLD.composed BEGIN
            INSERT OR REPLACE INTO story_summaries SELECT x.*, {_SECTION_OF_NEW}
            FROM ({_SUMMARY_SELECT} WHERE s.id = NEW.id)) AS x;
        END;
        -- a section page ranks as the front page does: its recent stories and its largest ones
        CREATE INDEX story_summaries_section ON story_summaries(live, section, rank_time);
        CREATE INDEX story_summaries_section_weight ON story_summaries(live, section, weight);
        """,
    ),
    (
        "0016_outlet_counts",
        """
        -- articles per outlet spelling, kept by triggers: the outlet list (every page's lean colours) is
        -- read from here in O(outlets), not counted over the whole archive after every ingest
        CREATE TABLE outlet_counts (outlet TEXT PRIMARY KEY, articles INTEGER NOT NULL);
        INSERT INTO outlet_counts (outlet, articles)
            SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet;
        CREATE TRIGGER outlet_counts_insert AFTER INSERT ON articles WHEN NEW.outlet IS NOT NULL BEGIN
            INSERT INTO outlet_counts (outlet, articles) VALUES (NEW.outlet, 1)
            ON CONFLICT(outlet) DO UPDATE SET articles = articles + 1;
        END;
        CREATE TRIGGER outlet_counts_delete AFTER DELETE ON articles WHEN OLD.outlet IS NOT NULL BEGIN
            UPDATE outlet_counts SET articles = articles - 1 WHERE outlet = OLD.outlet;
        END;
        CREATE TRIGGER outlet_counts_update AFTER UPDATE OF outlet ON articles
        WHEN NEW.outlet IS NOT OLD.outlet BEGIN
            UPDATE outlet_counts SET articles = articles - 1 WHERE outlet = OLD.outlet;
            INSERT INTO outlet_counts (outlet, articles) SELECT NEW.outlet, 1 WHERE NEW.outlet IS NOT NULL
            ON CONFLICT(outlet) DO UPDATE SET articles = articles + 1;
        END;
        """,
    ),
    (
        "0017_search_recent",
        f"""
        -- the SEARCH_RECENT_ARTICLES newest articles (by seq) indexed again, over `articles` itself
        -- (external content: no second copy of the text); the insert trigger adds each new article and
        -- drops the one SEARCH_RECENT_ARTICLES older, with the values it was indexed with (articles are
        -- never rewritten; the update and delete triggers keep it exact if one ever is)
        CREATE VIRTUAL TABLE articles_recent_fts USING fts5(title, text, outlet, content='articles',
            content_rowid='seq');
        INSERT INTO articles_recent_fts (rowid, title, text, outlet)
            SELECT seq, title, text, outlet FROM articles WHERE seq > {_IN_RECENT} ORDER BY seq;
        CREATE TRIGGER articles_recent_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_recent_fts (rowid, title, text, outlet)
                VALUES (NEW.seq, NEW.title, NEW.text, NEW.outlet);
            INSERT INTO articles_recent_fts (articles_recent_fts, rowid, title, text, outlet)
                SELECT 'delete', seq, title, text, outlet FROM articles
                WHERE seq = NEW.seq - {SEARCH_RECENT_ARTICLES};
        END;
        CREATE TRIGGER articles_recent_delete AFTER DELETE ON articles WHEN OLD.seq > {_IN_RECENT} BEGIN
            INSERT INTO articles_recent_fts (articles_recent_fts, rowid, title, text, outlet)
                VALUES ('delete', OLD.seq, OLD.title, OLD.text, OLD.outlet);
        END;
        CREATE TRIGGER articles_recent_update AFTER UPDATE OF title, text, outlet ON articles
        WHEN OLD.seq > {_IN_RECENT} BEGIN
            INSERT INTO articles_recent_fts (articles_recent_fts, rowid, title, text, outlet)
                VALUES ('delete', OLD.seq, OLD.title, OLD.text, OLD.outlet);
            INSERT INTO articles_recent_fts (rowid, title, text, outlet)
                VALUES (NEW.seq, NEW.title, NEW.text, NEW.outlet);
        END;
        """,
    ),
    (
        "0018_story_framing_split",
        f"""
        -- a story's framing split (Story.framing_split: how far its narratives divide by outlet lean,
        -- decided when it is composed) beside its summary, so the stories both sides tell apart are
        -- read from an index (`outlets.framing_divides`), not by parsing every story's JSON. The summary
        -- triggers insert whole rows: they are remade with the split appended after the section.
        ALTER TABLE story_summaries ADD COLUMN framing_split REAL;
        UPDATE story_summaries SET framing_split = (SELECT CASE WHEN json_valid(s.composed)
            AND json_type(s.composed, '$.framing_split') IN ('real', 'integer')
            THEN json_extract(s.composed, '$.framing_split') END FROM stories s WHERE s.id = story_id);
        DROP TRIGGER story_summaries_insert;
        DROP TRIGGER story_summaries_composed;
        CREATE TRIGGER story_summaries_insert AFTER INSERT ON stories BEGIN
            INSERT OR REPLACE INTO story_summaries SELECT x.*, {_SECTION_OF_NEW}, {_SPLIT_OF_NEW}
            FROM ({_SUMMARY_SELECT} WHERE s.id = NEW.id)) AS x;
        END;
        CREATE TRIGGER story_summaries_composed AFTER UPDATE OF composed ON stories
        WHEN NEW.composed IS NOT OLD.composed BEGIN
            INSERT OR REPLACE INTO story_summaries SELECT x.*, {_SECTION_OF_NEW}, {_SPLIT_OF_NEW}
            FROM ({_SUMMARY_SELECT} WHERE s.id = NEW.id)) AS x;
        END;
        CREATE INDEX story_summaries_framing_split ON story_summaries(live, framing_split)
            WHERE framing_split IS NOT NULL;
        """,
    ),
    (
        "0019_search_hits",
        """
        -- what search reads of each candidate article (up to 200 per query, by seq), without the text:
        -- from the table itself each lookup walked the row's overflow pages past the text (avg 6 kB) to
        -- reach outlet, url and published (1.2 ms of a search at 30k articles; 0.3 ms from this index)
        CREATE INDEX articles_hits ON articles(seq, published, outlet, id, title, url);
        -- and of each candidate story (up to 200 per query), by id: what ranks it, without the row
        CREATE INDEX story_summaries_search ON story_summaries(story_id, live, date, rank_time);
        """,
    ),
    (
        "0020_search_recent_stories",
        f"""
        -- the SEARCH_RECENT_STORIES newest rows of `stories_fts` indexed again, with the same rowids.
        -- FTS5 tables take no triggers, so the store's writers keep it (`store.add_story_search`,
        -- `store.delete_story_search`): a new row goes in and the one SEARCH_RECENT_STORIES older out.
        CREATE VIRTUAL TABLE stories_recent_fts USING fts5(headline, body);
        INSERT INTO stories_recent_fts (rowid, headline, body)
            SELECT id, c1, c2 FROM stories_fts_content
            WHERE id > (SELECT coalesce(max(id), 0) FROM stories_fts_content) - {SEARCH_RECENT_STORIES}
            ORDER BY id;
        """,
    ),
    (
        "0021_article_lean",
        """
        -- each article's lean (`Article.lean`, the bucket, and `lean_score`), resolved once, at ingest,
        -- against the store's outlet registry (shipped table + its `outlets` rows), and rewritten with the
        -- outlet's articles when an import changes the outlet's lean (`newsprism.outlets.store_leans`):
        -- compose, coverage and the site read it here instead of asking the registry again. Existing
        -- rows are filled after this SQL, in the same transaction (FILLS: the registry is not SQL).
        ALTER TABLE articles ADD COLUMN lean TEXT;
        ALTER TABLE articles ADD COLUMN lean_score REAL;
        -- the site's article lists and search read the lean with the rest of a row from these covering
        -- indexes; from the table it would walk the row's overflow pages past the text (see 0019)
        DROP INDEX articles_outlet_listing;
        CREATE INDEX articles_outlet_listing ON articles(outlet, published, seq, id, title, url, lean);
        DROP INDEX articles_listing;
        CREATE INDEX articles_listing ON articles(published, seq, id, title, outlet, url, lean);
        DROP INDEX articles_hits;
        CREATE INDEX articles_hits ON articles(seq, published, outlet, id, title, url, lean);
        -- an import's rewrite finds the articles of an outlet whose stored lean differs from the index
        DROP INDEX articles_outlet;
        CREATE INDEX articles_outlet ON articles(outlet, lean, lean_score);
        """,
    ),
    (
        "0022_section_counts",
        """
        -- live stories per section, kept by triggers: the front page's section tabs counted every live
        -- summary on each render (5 ms at 56k stories, linear in the archive). Summaries are written by
        -- INSERT OR REPLACE, whose implicit delete fires no DELETE trigger (recursive_triggers is off),
        -- so the row being replaced is taken off before the insert.
        CREATE TABLE section_counts (section TEXT PRIMARY KEY, stories INTEGER NOT NULL);
        INSERT INTO section_counts (section, stories)
            SELECT section, count(*) FROM story_summaries WHERE live = 1 AND section IS NOT NULL
            GROUP BY section;
        CREATE TRIGGER section_counts_replaced BEFORE INSERT ON story_summaries BEGIN
            UPDATE section_counts SET stories = stories - 1 WHERE section = (SELECT section FROM
                story_summaries WHERE story_id = NEW.story_id AND live = 1 AND section IS NOT NULL);
        END;
        CREATE TRIGGER section_counts_insert AFTER INSERT ON story_summaries
        WHEN NEW.live = 1 AND NEW.section IS NOT NULL BEGIN
            INSERT INTO section_counts (section, stories) VALUES (NEW.section, 1)
                ON CONFLICT (section) DO UPDATE SET stories = stories + 1;
        END;
        CREATE TRIGGER section_counts_update AFTER UPDATE OF live, section ON story_summaries BEGIN
            UPDATE section_counts SET stories = stories - 1
                WHERE OLD.live = 1 AND OLD.section IS NOT NULL AND section = OLD.section;
            INSERT INTO section_counts (section, stories) SELECT NEW.section, 1
                WHERE NEW.live = 1 AND NEW.section IS NOT NULL
                ON CONFLICT (section) DO UPDATE SET stories = stories + 1;
        END;
        CREATE TRIGGER section_counts_delete AFTER DELETE ON story_summaries
        WHEN OLD.live = 1 AND OLD.section IS NOT NULL BEGIN
            UPDATE section_counts SET stories = stories - 1 WHERE section = OLD.section;
        END;
        """,
    ),
]

# Python run after a migration's SQL, in its transaction, for a column whose value SQL cannot compute:
# "module:function" taking the `Store`. Named, not imported, so the store imports no stage; the
# function is the stage's own (the lean comes from the outlets stage's registry).
FILLS: dict[str, str] = {
    "0021_article_lean": "newsprism.outlets.lookup:fill_leans",
}
