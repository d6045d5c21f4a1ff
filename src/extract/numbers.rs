//! Figures in normalised text. (Filled in by the narrative work.)
