//! The panels of the window. Functions that draw end in `_ui`; they read
//! state and emit intents, never editing the document directly.
