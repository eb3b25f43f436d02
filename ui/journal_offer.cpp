#include "journal_offer.h"

#include <QDir>
#include <QMessageBox>
#include <QPushButton>

namespace compilescope {

namespace {

QPushButton* addButton(QMessageBox& box, const QString& text, QMessageBox::ButtonRole role, const char* name)
{
    QPushButton* button = box.addButton(text, role);
    button->setObjectName(QLatin1String(name));
    return button;
}

/// Delete / Keep, Keep the default: nothing is lost by pressing Enter.
bool askDelete(QWidget* parent, const QString& title, const QString& text, const QString& informative)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("journalDeleteBox"));
    box.setInformativeText(informative);
    QPushButton* remove = addButton(box, QObject::tr("&Delete"), QMessageBox::DestructiveRole, "deleteButton");
    QPushButton* keep = addButton(box, QObject::tr("&Keep"), QMessageBox::RejectRole, "keepButton");
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == remove;
}

} // namespace

JournalChoice askAboutInterruptedSweep(QWidget* parent, const InterruptedSweep& sweep, const QString& resume_refusal)
{
    QMessageBox box(QMessageBox::Question, QObject::tr("Interrupted sweep"),
        describeInterruptedSweep(sweep) + QLatin1Char(' ') + QObject::tr("Resume runs only the missing ones."),
        QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("interruptedSweepBox"));
    QString informative;
    if (!resume_refusal.isEmpty())
        informative = resume_refusal + QStringLiteral("\n\n");
    if (sweep.journal && sweep.journal->torn_lines > 0)
        informative += QObject::tr("%n unreadable line(s) ignored: the process was killed mid-write.", nullptr,
                           sweep.journal->torn_lines)
            + QStringLiteral("\n\n");
    informative += QObject::tr("Open what finished shows those measurements as a cancelled run and keeps it in the "
                               "history. Later keeps the journal: File ▸ Resume interrupted sweep.\n\nJournal: %1")
                       .arg(QDir::toNativeSeparators(sweep.path));
    box.setInformativeText(informative);
    QPushButton* resume = addButton(box, QObject::tr("&Resume"), QMessageBox::AcceptRole, "resumeButton");
    resume->setEnabled(resume_refusal.isEmpty());
    QPushButton* open
        = addButton(box, QObject::tr("&Open what finished"), QMessageBox::ActionRole, "openFinishedButton");
    // One role for both, so that they keep this order (Discard asks again before it deletes anything).
    QPushButton* discard = addButton(box, QObject::tr("&Discard"), QMessageBox::ActionRole, "discardButton");
    QPushButton* later = addButton(box, QObject::tr("&Later"), QMessageBox::RejectRole, "laterButton");
    box.setDefaultButton(resume_refusal.isEmpty() ? resume : open);
    box.setEscapeButton(later);
    box.exec();
    if (box.clickedButton() == resume)
        return JournalChoice::resume;
    if (box.clickedButton() == open)
        return JournalChoice::open_finished;
    if (box.clickedButton() == discard)
        return JournalChoice::discard;
    return JournalChoice::later;
}

bool confirmDiscardOfInterruptedSweep(QWidget* parent, const InterruptedSweep& sweep)
{
    return askDelete(parent, QObject::tr("Discard the interrupted sweep"),
        QObject::tr("Delete the journal of the interrupted sweep? Its %n finished measurement(s) are lost.", nullptr,
            sweep.finished()),
        QDir::toNativeSeparators(sweep.path));
}

bool askDeleteUnreadableJournal(QWidget* parent, const InterruptedSweep& sweep)
{
    return askDelete(parent, QObject::tr("Unreadable journal"), describeInterruptedSweep(sweep),
        QObject::tr("It cannot be resumed. Delete it?\n\n%1").arg(QDir::toNativeSeparators(sweep.path)));
}

} // namespace compilescope
