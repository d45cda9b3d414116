"""What customers report and what engineers answer: the problems behind the demo's tickets.

Plain data. ``{system}``, ``{site}``, ``{share}`` and ``{person}`` are filled per ticket from
the customer's own systems and sites (:func:`clearpact.demo.stories.fill`); ``{number}`` is the
ticket's number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """A kind of problem: its usual priority, what the customer writes and what engineers answer."""

    priority: str
    subject: str
    description: str
    question: str  # what the engineer asks when the ticket waits on the customer
    fix: str  # the resolution note
    tag: str


ISSUES = (
    Issue(
        "P1",
        "Nobody can open the {system}",
        "Since a few minutes ago nobody can open the {system}; we are stuck.",
        "Which site are you at, and do you see an error message?",
        "The {system} service had stopped after a failed update; restarted it and rolled the update back.",
        "outage",
    ),
    Issue(
        "P1",
        "No internet at {site}",
        "The whole of {site} has no internet or e-mail.",
        "Can you check whether the lights on the router in the comms cabinet are green?",
        "The line provider fixed a fault at the exchange; the backup router now fails over automatically.",
        "network",
    ),
    Issue(
        "P1",
        "E-mail down for everyone",
        "Nobody can send or receive e-mail.",
        "Are you seeing the problem in Outlook only, or on phones too?",
        "A mail-flow connector certificate had expired; renewed it and mail is flowing.",
        "email",
    ),
    Issue(
        "P2",
        "{system} very slow for the whole team",
        "The {system} takes a minute to open each record.",
        "Is it slow for everyone at {site}, or only some users?",
        "The database server ran out of memory; added memory and tuned the nightly job.",
        "performance",
    ),
    Issue(
        "P2",
        "Scanner at {site} not sending to e-mail",
        "The multifunction printer at {site} no longer sends scans to e-mail.",
        "Could you send a photo of the error on the printer's display?",
        "The printer's mail password had expired; set up an app password.",
        "printing",
    ),
    Issue(
        "P2",
        "VPN keeps disconnecting",
        "Home workers are thrown off the VPN every 20 minutes.",
        "Which VPN client version do you see under Help > About?",
        "Updated the VPN gateway firmware; sessions are stable again.",
        "vpn",
    ),
    Issue(
        "P2",
        "Backup job failed twice",
        "The backup report shows two failed nights in a row.",
        "Did anything change on the file server last week?",
        "A full disk stopped the backup; cleared old snapshots and re-ran the job.",
        "backup",
    ),
    Issue(
        "P2",
        "Card payments not reaching the {system}",
        "Payments taken at reception do not appear in the {system}.",
        "Which terminal and what time was the last payment that arrived?",
        "The payment integration service had hung; restarted it and set up a watchdog.",
        "integration",
    ),
    Issue(
        "P3",
        "Outlook keeps asking for a password",
        "Outlook asks for my password every few minutes.",
        "Did you change your password recently, and on which devices?",
        "Cleared the cached credentials and re-created the Outlook profile.",
        "email",
    ),
    Issue(
        "P3",
        "Laptop will not start",
        "My laptop shows a black screen after the logo.",
        "Is the charging light on, and does it beep when you switch it on?",
        "Replaced the failed SSD under warranty and restored the user's profile.",
        "hardware",
    ),
    Issue(
        "P3",
        "Cannot print to the {site} printer",
        "Printing to the printer at {site} fails from my PC.",
        "What is the name of the printer you are sending to?",
        "Re-installed the printer driver from the print server.",
        "printing",
    ),
    Issue(
        "P3",
        "Teams calls drop after a few minutes",
        "My Teams calls keep dropping.",
        "Are you on Wi-Fi or cable when it happens?",
        "The Wi-Fi adapter driver was outdated; updated it and the calls are stable.",
        "teams",
    ),
    Issue(
        "P3",
        "Shared mailbox not showing in Outlook",
        "The team mailbox has disappeared from my Outlook.",
        "Which shared mailbox, and do you see it in Outlook on the web?",
        "Re-added the mailbox permission with auto-mapping.",
        "email",
    ),
    Issue(
        "P3",
        "Second monitor not detected",
        "My second screen stays black at the docking station.",
        "Which docking station model is on your desk?",
        "Updated the docking station firmware and replaced the cable.",
        "hardware",
    ),
    Issue(
        "P3",
        "File share access denied",
        "I get 'access denied' on the {share} folder.",
        "Who approved your access to that folder?",
        "Added the user to the right group after the approver's OK.",
        "access",
    ),
    Issue(
        "P3",
        "Phone app cannot sync mail",
        "My phone stopped syncing e-mail yesterday.",
        "Which phone and which mail app are you using?",
        "Re-enrolled the phone in device management; mail syncs again.",
        "mobile",
    ),
    Issue(
        "P3",
        "Error when saving to the {system}",
        "Saving a record in the {system} shows an error.",
        "Could you send a screenshot of the error?",
        "A field limit was hit; applied the vendor's patch.",
        "application",
    ),
    Issue(
        "P4",
        "New starter account for {person}",
        "{person} starts on Monday and needs an account, laptop and e-mail.",
        "Which team will {person} join, and which systems do they need?",
        "Account, mailbox and laptop are ready; credentials handed to the line manager.",
        "onboarding",
    ),
    Issue(
        "P4",
        "Leaver: disable account for {person}",
        "{person} leaves on Friday; please disable their access.",
        "Should their mailbox be shared with their manager?",
        "Disabled the account, converted the mailbox and collected the laptop.",
        "offboarding",
    ),
    Issue(
        "P4",
        "Add me to a distribution list",
        "Please add me to the {share} distribution list.",
        "Who owns that list and has approved the request?",
        "Added the user to the list.",
        "request",
    ),
    Issue(
        "P4",
        "Install software on my PC",
        "I need a PDF editor installed on my PC.",
        "Which edition do you need, and is a licence available?",
        "Installed the software from the company portal.",
        "software",
    ),
    Issue(
        "P4",
        "Question about storage quota",
        "How much space is left on my OneDrive?",
        "Do you want us to raise the quota or clean up old files?",
        "Explained the quota and archived old project files.",
        "question",
    ),
    Issue(
        "P4",
        "Change a desk phone name",
        "Please change the display name on the phone at {site} reception.",
        "What should the new display name be?",
        "Updated the display name in the phone system.",
        "request",
    ),
)
SYSTEMS = {
    "hartwell-ainsley": ("document management system", "dictation system", "billing system"),
    "sonnenhang-vets": ("practice management system", "imaging viewer", "lab results portal"),
    "prairiegate-freight": ("dispatch portal", "warehouse scanner app", "ERP"),
}
SITES = {
    "hartwell-ainsley": ("the Holborn office", "the second floor", "reception"),
    "sonnenhang-vets": ("Altona", "Eimsbüttel", "Wandsbek", "Harburg"),
    "prairiegate-freight": ("the Joliet depot", "the Gary depot", "head office"),
}
SHARES = ("Finance", "Projects", "Operations", "Management", "Marketing")

ACKNOWLEDGEMENT = "Thank you, we have received your ticket #{number} and will be in touch shortly."
FIRST_REPLIES = (
    "Thanks for reporting this; I am looking into it now.",
    "I have picked this up and am checking the logs.",
    "Thanks, I can see the problem and am working on it.",
)
UPDATES = (
    "Update: still working on this; the next step is a test with the vendor's tool.",
    "Update: the fix is prepared and will be applied this afternoon.",
    "Update: narrowed it down to the network switch; replacing its configuration.",
)
CUSTOMER_ANSWERS = (
    "Here is the information you asked for.",
    "Yes, that's right; it started yesterday morning.",
    "Attached a screenshot. It still happens.",
    "I checked with the team, it affects three of us.",
)
CUSTOMER_CHIMES = (
    "It is happening again right now.",
    "Any news on this?",
    "A colleague has the same problem.",
)
REOPENS = (
    "Sorry, this has come back.",
    "It worked for a day and now it fails again.",
    "Still not working for me.",
)
INTERNAL_NOTES = (
    "Checked the event logs; nothing obvious yet.",
    "Vendor knowledge base article matches; trying the workaround.",
    "Remote session done; waiting to confirm with the user.",
    "Documented the fix in the runbook.",
)
NO_ANSWER = "We have not heard back, so we are resolving this ticket; reply to reopen it."
