"""Dyad dashboard: reads the pipeline's tables and shows them.

Modules:
    tables   -- pure table loading (Parquet, CSV fallback) into a ``Corpus`` with precomputed keys
    filters  -- pure, vectorised filter functions and query-string (de)serialisation
    export   -- CSV (with CSV-injection escaping) and ZIP export, exact bytes
    aggregates -- pure aggregations the charts use
    figures  -- plotly figure builders
    loaders  -- Streamlit-cached wrappers (``st.cache_data`` / ``st.cache_resource``)
    widgets  -- small Streamlit widget functions (sidebar, tables with download buttons)
    views    -- one render function per view
    synthetic -- generator of pipeline-shaped tables (tests, benchmarks)
    safe_text -- text from the URL and articles made plain for Markdown and plotly labels; clipping
    startup  -- build-if-stale (a failed build shows the last good tables), empty and error pages

Only ``loaders``, ``widgets``, ``views`` and ``startup`` import Streamlit.
"""
