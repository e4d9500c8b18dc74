//! Undo/redo history of applied commands.
//!
//! Invariants: every entry holds the command that reverts one step; undo
//! moves a step to the redo stack (holding the command that re-does it) and
//! redo moves it back. Executing a new command clears the redo stack. Each
//! step keeps a stable `state` number, so "is the set as it was saved?" is a
//! comparison of numbers, not of sets. Consecutive steps of one merge group
//! (e.g. nudging one annotation's end character by character) may share a
//! step: it keeps the first step's inverse and takes a new state number.

use super::command::Command;

/// One undoable step.
#[derive(Debug, Clone)]
pub struct Step {
    /// Edit-menu label ("tag “ISI”").
    pub label: String,
    /// The command that moves the set to the other side of this step.
    pub command: Command,
    /// Identifies the state the set is in after this step.
    pub state: u64,
    /// Steps pushed with the same group right after this one merge into it.
    pub group: Option<String>,
}

/// The undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_state: u64,
}

impl History {
    /// Records a new step whose inverse is `inverse`; clears redo.
    pub fn push(&mut self, label: String, inverse: Command) {
        self.push_step(label, inverse, None);
    }

    /// Records a step of merge group `group`: when the last step has the
    /// same group (and `may_merge`: e.g. no save since), the two become one
    /// step that reverts to before the first; otherwise a new step. Clears
    /// redo either way.
    pub fn push_merged(&mut self, label: String, inverse: Command, group: &str, may_merge: bool) {
        if may_merge
            && let Some(last) = self.undo.last_mut()
            && last.group.as_deref() == Some(group)
        {
            self.next_state += 1;
            last.state = self.next_state;
            last.label = label;
            self.redo.clear();
            return;
        }
        self.push_step(label, inverse, Some(group.to_owned()));
    }

    fn push_step(&mut self, label: String, inverse: Command, group: Option<String>) {
        self.next_state += 1;
        self.undo.push(Step {
            label,
            command: inverse,
            state: self.next_state,
            group,
        });
        self.redo.clear();
    }

    /// The state number of the current set (0 before any step).
    pub fn state(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.state)
    }

    /// Label of the step `undo` would revert.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// Label of the step `redo` would re-apply.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Takes the step to undo (the caller applies it and hands the inverse
    /// to [`History::undone`]).
    pub fn pop_undo(&mut self) -> Option<Step> {
        self.undo.pop()
    }

    /// Records that `step` was undone; `redo` re-applies it.
    pub fn undone(&mut self, step: Step, redo: Command) {
        self.redo.push(Step {
            command: redo,
            group: None,
            ..step
        });
    }

    /// Takes the step to redo.
    pub fn pop_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }

    /// Records that `step` was re-done; `undo` reverts it again.
    pub fn redone(&mut self, step: Step, undo: Command) {
        self.undo.push(Step {
            command: undo,
            group: None,
            ..step
        });
    }

    /// Puts back a step whose command failed to apply (undo side).
    pub fn restore_undo(&mut self, step: Step) {
        self.undo.push(step);
    }

    /// Puts back a step whose command failed to apply (redo side).
    pub fn restore_redo(&mut self, step: Step) {
        self.redo.push(step);
    }

    /// Number of steps that can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Number of steps that can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }
}
