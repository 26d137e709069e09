"""Judgement of each sentence: cue families (cues), rule classifier (rules), specificity,
features, the learned models at run time (model, compiled), training (train) and the corpus."""
