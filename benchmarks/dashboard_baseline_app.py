"""The reference for the warm-start ratio: a Streamlit app with one plotly chart and one table."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

df = pd.DataFrame({"entity": ["China", "Russia", "Xi Jinping", "Vladimir Putin", "BRICS"],
                   "mentions": [40, 35, 12, 10, 4]})
st.title("Baseline")
st.plotly_chart(go.Figure(go.Bar(x=df["entity"], y=df["mentions"])), key="chart")
st.dataframe(df, hide_index=True)
