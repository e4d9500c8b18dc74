//! Undo/redo history of applied commands.
//!
//! Invariants: every entry holds the command that reverts one step; undo
//! moves a step to the redo stack (holding the command that re-does it) and
//! redo moves it back. Executing a new command clears the redo stack. Each
//! step keeps a stable `state` number, so "is the set as it was saved?" is a
//! comparison of numbers, not of sets.

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
        self.next_state += 1;
        self.undo.push(Step {
            label,
            command: inverse,
            state: self.next_state,
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
