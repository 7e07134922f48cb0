"""Ingestion: files and folders of news in many formats → cleaned `Article`s → the store.

`read_inputs` and `extract_file` are store-free (other stages call them); `ingest_paths` stores, links
duplicates and near-duplicates, and records rejections. `clean_text` is the scraped-text cleaner.
`article_from_record`, `article_from_json_line` and `article_from_page` make one article from one JSON
record or HTML page, with the rules of the file readers (batch runs call them record by record).
"""

from newsprism.ingest._ingest import IngestReport, ingest_paths
from newsprism.ingest._read import extract_file, iter_files, read_inputs
from newsprism.ingest._single import article_from_json_line, article_from_page, article_from_record
from newsprism.ingest.clean import CleanedText, clean_text

__all__ = ["CleanedText", "IngestReport", "article_from_json_line", "article_from_page",
           "article_from_record", "clean_text", "extract_file", "ingest_paths", "iter_files", "read_inputs"]
