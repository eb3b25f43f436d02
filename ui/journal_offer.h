// The questions about an interrupted sweep's journal (interrupted_sweeps.h), asked at start-up and from
// File ▸ Resume interrupted sweep: resume it, open what finished, discard it, or decide later.
#pragma once

#include "interrupted_sweeps.h"

class QWidget;

namespace compilescope {

enum class JournalChoice { resume, open_finished, discard, later };

/// Asks what to do with a readable journal. `resume_refusal` non-empty disables Resume and says why (e.g. the
/// journal was written on another machine). Buttons have object names for tests: resumeButton, openFinishedButton,
/// discardButton, laterButton.
JournalChoice askAboutInterruptedSweep(QWidget* parent, const InterruptedSweep& sweep, const QString& resume_refusal);

/// "Discard the N finished measurements?"; true to delete the journal (buttons: deleteButton, keepButton).
bool confirmDiscardOfInterruptedSweep(QWidget* parent, const InterruptedSweep& sweep);

/// An unreadable journal: says why and offers to delete it; true to delete (buttons: deleteButton, keepButton).
bool askDeleteUnreadableJournal(QWidget* parent, const InterruptedSweep& sweep);

} // namespace compilescope
