"""Renderers: terminal text and markdown (text), HTML highlights (highlight), the annotated
Word copy (docx), the workbook (excel); Chinese labels (labels). Rule labels and colours come
from the rulebook."""
