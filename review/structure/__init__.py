"""Structure: paragraphs and sentences (segment), section roles (sections), document type
(doctype) and a plan's own list of areas (plan)."""
