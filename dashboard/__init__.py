"""Dyad dashboard: reads the pipeline's tables and shows them.

Modules:
    tables   -- pure table loading (Parquet, CSV fallback) into a ``Corpus`` with precomputed keys
    filters  -- pure, vectorised filter functions and query-string (de)serialisation
    export   -- CSV (with CSV-injection escaping) and ZIP export, exact bytes
    aggregates -- pure aggregations the charts use
    figures  -- plotly figure builders (a figure, or a sentence when a chart would say nothing)
    palette  -- one colour per country, speaker category, entity type, topic (stable hash for others)
    loaders  -- Streamlit-cached functions (``st.cache_data`` / ``st.cache_resource``), ``f(_corpus, token, key)``
    widgets  -- small Streamlit widget functions (sidebar, tables with download buttons)
    views    -- one render function per view
    synthetic -- generator of pipeline-shaped tables (tests, benchmarks)
    safe_text -- text from the URL and articles made plain for Markdown and plotly labels; clipping
    startup  -- build-if-stale (a failed build shows the last good tables), empty and error pages
    upload   -- "Add articles": uploads stored safely under the input folder, then an incremental rebuild

Only ``loaders``, ``widgets``, ``views``, ``startup`` and ``upload`` import Streamlit.
"""
