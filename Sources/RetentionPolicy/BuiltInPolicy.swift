extension RetentionPolicy {
    /// The default policy for a German business mail store, parsed from ``builtInYAML``.
    ///
    /// The text is checked by the test suite, so loading it cannot fail at run time.
    public static let builtIn: RetentionPolicy = {
        do {
            return try RetentionPolicy(yaml: builtInYAML, file: "<built-in policy>")
        } catch {
            fatalError("the built-in retention policy is invalid: \(error)")
        }
    }()

    /// The source of the default policy: a complete, commented example of the policy schema that
    /// `privctl policy show` prints for users to copy and edit.
    public static let builtInYAML: String = #"""
        # privctl retention policy: the deletion concept (Löschkonzept after DIN 66398) of a
        # German business mail store.
        #
        # Copy this file, edit it, and pass it with --policy. Each category is a data category
        # ("Datenart") with its deletion class: the start point ("Startzeitpunkt"), the standard
        # period ("Regellöschfrist"), the legal basis and what happens at the end. The rules below
        # decide which category a message belongs to: every rule is evaluated, and when several
        # match, a decisive rule wins, else the category with the longest legal retention duty,
        # else the first rule that matched; weak rules decide only when nothing else matched.
        #
        # This is a starting point, not legal advice: check the periods against your own
        # obligations (e.g. with your tax adviser) before erasing anything.
        version: 1
        name: privctl default policy for German business mail (2025)

        # Your own mail domains: mail among them is internal, mail from them is mail you wrote.
        # privctl also counts, for each message, the domains of its Delivered-To and
        # X-Original-To fields (the local mailbox the server delivered it to) as your own; list
        # here the domains you send from:
        # own-domains: [example.de, example-hosting.de]

        # Private mail providers: a counterpart at one of these is a private person; any other
        # domain that is not your own counts as a business.
        private-mail-domains:
          - gmail.com
          - googlemail.com
          - gmx.de
          - gmx.net
          - gmx.at
          - gmx.ch
          - web.de
          - t-online.de
          - magenta.de
          - freenet.de
          - arcor.de
          - online.de
          - email.de
          - mail.de
          - posteo.de
          - posteo.net
          - mailbox.org
          - yahoo.com
          - yahoo.de
          - outlook.com
          - outlook.de
          - hotmail.com
          - hotmail.de
          - live.com
          - live.de
          - msn.com
          - icloud.com
          - me.com
          - mac.com
          - aol.com
          - aol.de
          - protonmail.com
          - proton.me
          - tutanota.com
          - tuta.io
          - bluewin.ch

        # The category of a message that no rule matches.
        fallback: unclassified

        # Named word lists, written once and reused below with YAML aliases (*name).
        # privctl does not read this section otherwise.
        vocabulary:
          # Names of accounting documents, in subjects and attachment file names.
          accounting-words: &accounting-words
            - rechnung*
            - "*rechnung"            # Stromrechnung, Abschlagsrechnung, Abrechnung
            - "*rechnungen"
            - invoice*
            - gutschrift*
            - "*gutschrift"          # Zinsgutschrift
            - quittung*
            - "*quittung"            # Taxiquittung, Parkquittung
            - "*quittungen"
            - "*beleg"               # Beleg, Kassenbeleg, Zahlungsbeleg, Buchungsbeleg
            - "*belege"
            - belegnr*
            - receipt*
            - credit note*
            - creditnote*
            - credit memo*
            - kontoauszug*
            - "*fahrkarte"           # Bahnfahrkarte: a travel expense receipt
            - bahnticket*
            - "*kontoauszug"
            - zahlungsavis*
            - payment advice*
            - xrechnung*
            - zugferd*
            - factur-x*
          # Payment confirmations of payment services and banks, in subjects.
          payment-words: &payment-words
            - zahlungsbestätigung*
            - zahlungseingang*
            - zahlung erhalten
            - zahlung eingegangen
            - ihre zahlung*
            - sie haben eine zahlung*
            - payment received
            - payment confirmation*
            - payment receipt*
            - your payment*
            - you sent a payment*
          # Words of a transaction: offers, orders, contracts, terms, prices, deliveries, reminders.
          business-words: &business-words
            - angebot                # not "Angebotsanfrage": a request for a quote is an inquiry
            - angebote
            - angebots
            - angebotes
            - angebotsnr*
            - angebotsnummer*
            - "*angebot"             # Sonderangebot, Festpreisangebot
            - auftrag*
            - "*auftrag"
            - bestellung*
            - "*bestellung"
            - bestellbestätigung*
            - vertrag*
            - "*vertrag"
            - verträge
            - vereinbarung*
            - "*vereinbarung"        # Rahmenvereinbarung, Servicevereinbarung
            - agb
            - geschäftsbedingungen
            - preisanpassung*
            - preiserhöhung*
            - preisänderung*
            - kündigung*
            - mahnung*
            - zahlungserinnerung*
            - lieferung*
            - lieferschein*
            - reklamation*
            - beschwerde*
            - stornierung*
            - storno
            - kostenvoranschlag*
            - leistungsnachweis*
            - order
            - orders
            - order confirmation*
            - purchase order*
            - quotation*
            - quote
            - offer
            - proposal*
            - contract*
            - agreement*
            - terms and conditions
            - terms of service
            - price adjustment*
            - price increase*
            - price change*
            - cancellation*
            - complaint*
            - shipping confirmation*
            - shipment*
            - payment reminder*
            - dunning
            # A change of the address invoices go to is correspondence about the contract.
            - rechnungsanschrift*
            - rechnungsadresse*
            - billing address*
            - invoice address*

          # Subjects of an inquiry from a prospect: a question about the offer, a price, a
          # callback, before any transaction.
          inquiry-subjects: &inquiry-subjects
            - anfrage*
            - "*anfrage"
            - kontaktformular*
            - "*kontaktformular"
            - kontaktaufnahme
            - interesse an*
            - frage zu ihrem*
            - fragen zu ihrem*
            - frage zu ihren*
            - fragen zu ihren*
            - informationen zu ihren*
            - preis für*
            - preise für*
            - was kostet*
            - kosten für*
            - rückruf*
            - partnerschaft*
            - kooperation*
            - inquiry*
            - enquiry*
            - request for*
            - contact form
            - interested in
            - question about your*
            - questions about your*
            - information about your*
            - price for*
            - pricing for*
            - how much*
            - partnership*
            - callback
          # Phrases that make or answer a request under GDPR Art. 15-21 (not those that merely
          # cite the GDPR, as privacy notices in signatures do).
          request-phrases: &request-phrases
            - auskunft nach art*
            - auskunft gemäß art*
            - auskunft gem. art*
            - gemäß art. 15 dsgvo
            - gem. art. 15 dsgvo
            - nach art. 15 dsgvo
            - gemäß art. 15 ds-gvo
            - gemäß art. 17 dsgvo
            - gem. art. 17 dsgvo
            - nach art. 17 dsgvo
            - gemäß art. 21 dsgvo
            - zu ihrer person gespeicherten
            - zu meiner person gespeicherten
            - über mich gespeicherten
            - widerspreche der verwendung meiner*
            - widerspreche der verarbeitung meiner*
            - widerspreche hiermit der verarbeitung*
            - widerspreche hiermit der verwendung*
            - widerspreche hiermit der nutzung*
            - bitte löschen sie meine daten*
            - bitte löschen sie meine personenbezogenen*
            - bitte löschen sie meine persönlichen*
            - bitte löschen sie meine kontaktdaten*
            - bitte löschen sie alle meine*
            - bitte löschen sie alle über mich*
            - bitte löschen sie alle personenbezogenen*
            - löschen sie bitte meine*
            - löschen sie bitte alle meine*
            - löschen sie bitte alle personenbezogenen*
            - löschen sie alle meine*
            - meine daten zu löschen
            - meine daten löschen
            - löschung meiner daten
            - löschung aller meiner*
            - bestätigen sie mir die löschung
            - löschung meiner personenbezogenen*
            - under article 15*
            - under article 17*
            - under article 21*
            - article 15 gdpr
            - article 17 gdpr
            - art. 15 gdpr
            - art. 17 gdpr
            - subject access request
            - right to erasure
            - erase all personal data
            - delete all personal data
            - delete my personal data
            - copy of my personal data
            - personal data you process about me
            - personal data you hold about me
            - object to the processing of my*
          # Phrases of an answer to such a request: what the handler of a request writes.
          request-answer-phrases: &request-answer-phrases
            - anbei die auskunft*
            - anbei erhalten sie die auskunft*
            - die gewünschte auskunft
            - zu ihnen gespeicherten
            - zu ihrer person gespeicherten
            - über sie gespeicherten
            - ihre daten gelöscht
            - ihre personenbezogenen daten gelöscht
            - ihre daten wurden gelöscht
            - ihre daten sind gelöscht
            - ihrem auskunftsersuchen
            - ihr auskunftsersuchen
            - ihrem löschantrag
            - ihrem löschersuchen
            - ihrem antrag auf löschung
            - ihrer anfrage nach art*
            - ihre anfrage nach art*
            - your request under article*
            - your access request
            - your erasure request
            - personal data we hold about you
            - personal data we process about you
            - we have erased your personal data
            - we have erased your data
            - we have deleted your personal data
            - we have deleted your data
            - your data has been deleted
            - your data has been erased
          # Citations of the GDPR.
          gdpr-citations: &gdpr-citations
            - dsgvo
            - ds-gvo
            - gdpr
            - datenschutz-grundverordnung
            - datenschutzgrundverordnung
            - general data protection regulation
            - art. 15
            - art 15
            - artikel 15
            - art. 17
            - artikel 17
          # What a text about a request of a data subject speaks of: the GDPR, personal data,
          # access, erasure, objection. Looked for in the text a reply's author wrote, not in
          # what it quotes or in the signature. (Not "Datenschutz": a hosting customer asks
          # where the servers stand "aus Datenschutzgründen".)
          privacy-words: &privacy-words
            - dsgvo
            - ds-gvo
            - gdpr
            - personenbezogen*
            - personal data
            - auskunft*
            - "*auskunft"
            - löschung*
            - "*löschung"
            - gelöscht
            - löschen
            - erase*
            - erasure
            - deleted
            - deletion
            - widerspruch*
            - widerspreche*
            - berichtigung*
            - einschränkung der verarbeitung
            - rectification
            - restriction of processing
            - objection
            - ihre daten
            - ihrer daten
            - meine daten
            - meiner daten
            - your data
            - my data
            - gespeicherten daten
            - stored data
            - art. 15
            - art. 17
            - art. 21
            - artikel 15
            - artikel 17
            - artikel 21
            - article 15
            - article 17
            - article 21
          # What a customer of a hosting or IT service writes about: the service itself. Mail
          # that names it is about the business, whatever the tone. (Not "hosting": many
          # operators have it in their own domain name, which quoted headers repeat.)
          service-words: &service-words
            - server
            - servers
            - domain
            - domains
            - website
            - webseite
            - homepage
            - postfach
            - postfächer
            - zertifikat*
            - "*zertifikat"
            - "*zertifikats"
            - ssl
            - dns
            - backup*
            - störung*
            - ausfall*
            - support
            - zugangsdaten
            - passwort
            - speicherplatz*
            - datenbank*
            - migration*
            - provider
            - wartung*
            - webspace
            - certificate*
            - outage
            - downtime
            - mailbox*
            - database*
          # A formal salutation or closing: how one writes to a business or a stranger.
          formal-words: &formal-words
            - sehr geehrte*
            - sehr geehrter*
            - mit freundlichen grüßen
            - mit freundlichen grüssen
            - mit freundlichem gruß
            - freundliche grüße
            - freundliche grüsse
            - hallo frau
            - hallo herr
            - guten tag
            - beste grüße
            - beste grüsse
            - dear mr*
            - dear mrs*
            - dear ms*
            - dear sir*
            - dear madam
            - yours sincerely
            - yours faithfully
            - kind regards
          # The number of an invoice or a receipt, in a text.
          invoice-numbers: &invoice-numbers
            - rechnungsnummer
            - rechnungs-nr*
            - rechnungsnr*
            - rechnung nr*
            - belegnummer
            - beleg-nr*
            - invoice number
            - invoice no*
            - "invoice #"
            - receipt number
          # A job applicant's own subject ("Bewerbung als Fachkraft Rechnungswesen"): a job
          # title in it is not a document or a transaction.
          applicant-subjects: &applicant-subjects
            - bewerbung als*
            - bewerbung um*
            - bewerbung für*
            - bewerbung zum*
            - bewerbung zur*
            - application as*
            - application for the position*
            - application for a position*
            - applying for*
          # What mail about a job speaks of: the application, the position, the interview, the
          # papers of an applicant (what a role address needs beside itself to be an application).
          application-words: &application-words
            - bewerb*
            - beworben
            - stelle
            - stellenanzeige*
            - stellenausschreibung*
            - stellenangebot*
            - ausbildungsstelle
            - praktikumsstelle
            - arbeitsstelle
            - position
            - lebenslauf
            - vorstellungsgespräch*
            - bewerbungsgespräch*
            - interview*
            - ausbildung*
            - praktikum*
            - gehalt*
            - eintrittstermin
            - kündigungsfrist
            - zeugnis*
            - "*zeugnis"
            - "*zeugnisse"
            - qualifikation*
            - berufserfahrung
            - arbeitgeber*
            - anstellung
            - kandidat*
            - absage*
            - job
            - jobs
            - vacancy
            - vacancies
            - application*
            - applied
            - apply
            - applicant*
            - candidate*
            - cv
            - resume
            - résumé
            - salary
            - notice period
            - hiring
            - recruit*
          # Phrases that place, accept, confirm or end an order or a contract (German word
          # order puts the verb first or last: "bestellen es hiermit", "nehmen … an").
          transaction-phrases: &transaction-phrases
            - hiermit bestelle*
            - hiermit bestellen*
            - bestellen wir verbindlich
            - bestelle ich verbindlich
            - hiermit verbindlich
            - verbindlich bestellen
            - verbindlich bestelle
            - bestellen es hiermit
            - bestelle es hiermit
            - bestellen hiermit
            - bestelle hiermit
            - nehmen ihr angebot*
            - nehme ihr angebot*
            - nehmen das angebot*
            - nehme das angebot*
            - nehmen wir ihr angebot*
            - nehmen wir das angebot*
            - nehme ich ihr angebot*
            - ihr angebot annehmen
            - hiermit beauftrage*
            - hiermit beauftragen*
            - auftragsbestätigung*
            - bestätigen wir ihren auftrag*
            - bestätigen wir ihre bestellung*
            - bestätigen ihren auftrag*
            - bestätigen ihre bestellung*
            - we confirm your order*
            - hiermit kündige*
            - hiermit kündigen*
            - kündige hiermit
            - kündigen hiermit
            - kündige ich hiermit
            - kündigen wir hiermit
            - kündige ich den vertrag
            - kündigen wir den vertrag
            - kündige meinen vertrag
            - kündige unseren vertrag
            - kündigen unseren vertrag
            - kündige ich meinen vertrag
            - kündigen wir unseren vertrag
            - bestätigen sie mir die kündigung
            - we hereby order
            - i hereby order
            - we accept your offer
            - i accept your offer
            - we would like to order
            - please confirm the order
            - order confirmation
            - we hereby cancel
            - i hereby cancel
            - hereby terminate*

        categories:
          # --- Categories with a statutory retention duty (HGB, AO, UStG) ----------------------

          - id: accounting-document
            title: Buchungsbelege (invoices, credit notes, receipts, booking documents)
            purpose: >-
              Invoices, credit notes, receipts and other booking documents, received or sent,
              kept because commercial and tax law require it.
            basis: art6-1-c
            # 8 years since the Fourth Bureaucracy Relief Act (BEG IV): for every document whose
            # former 10-year period had not expired when the change came into force on 2025-01-01.
            law: "AO §147(1) Nr. 4, (3), (4) as amended by BEG IV; HGB §257(1) Nr. 4, (4), (5); UStG §14b(1)"
            start: end-of-year
            period: 8 years
            duty: true
            at-end: erase

          - id: business-letter
            title: Handels- und Geschäftsbriefe (commercial letters received and sent)
            purpose: >-
              Correspondence that prepares, concludes, performs or reverses a transaction
              (offers, orders, confirmations, contracts, complaints, reminders), received and sent.
            basis: art6-1-c
            law: "HGB §257(1) Nr. 2-3, (4), (5); AO §147(1) Nr. 2-3, (3), (4)"
            start: end-of-year
            period: 6 years
            duty: true
            at-end: erase

          - id: annual-accounts
            title: Jahresabschlüsse, Inventare, Eröffnungsbilanzen, Bücher (annual accounts)
            purpose: >-
              Annual accounts, inventories, opening balance sheets, management reports and books
              of account, kept because commercial and tax law require it.
            basis: art6-1-c
            law: "HGB §257(1) Nr. 1, (4), (5); AO §147(1) Nr. 1, (3), (4)"
            start: end-of-year
            period: 10 years
            duty: true
            at-end: erase

          # --- Categories without a retention duty --------------------------------------------

          - id: job-application
            title: Bewerbungen (job applications)
            purpose: >-
              Applications and the correspondence about them, kept after the decision only as long
              as a rejected applicant can claim under the AGG: two months to raise the claim
              (AGG §15(4)), then three months to sue (ArbGG §61b(1)).
            # The decision day comes from the ledger: privctl decide application-decision
            # --subject APPLICANT --day DAY. Until one is on record the application is kept and
            # put up for review six months after it arrived, never erased on its own: three
            # months from its arrival could end before the claim period after the decision.
            basis: art6-1-b
            law: "BDSG §26(1); AGG §15(4); ArbGG §61b(1)"
            start: event:application-decision
            period: 3 months
            review-without-event: 6 months
            duty: false
            at-end: erase

          - id: inquiry
            title: Anfragen ohne Vertragsschluss (inquiries without a contract)
            purpose: >-
              Inquiries from prospects that led to no contract, kept to answer follow-up
              questions and to show what was offered.
            # Art. 6(1)(b) (steps prior to a contract) while the inquiry is open; Art. 6(1)(f)
            # for keeping it afterwards.
            basis: art6-1-b
            law: "GDPR Art. 6(1)(f) after the inquiry is answered"
            start: message-date
            period: 2 years
            duty: false
            at-end: erase

          - id: privacy-request
            title: Betroffenenanfragen (requests under GDPR Art. 15-21 and their answers)
            purpose: >-
              Requests of data subjects (access, rectification, erasure, restriction,
              portability, objection) and our answers, kept to prove that they were handled
              (accountability) until claims about them are time-barred.
            # No statute says how long: kept in the legitimate interest of proving how each
            # request was handled (Art. 5(2)) and of defending claims (Art. 17(3)(e)), not
            # under a legal obligation (Art. 6(1)(c) would claim a duty, and there is none).
            basis: art6-1-f
            law: "GDPR Art. 5(2), Art. 12(3), Art. 17(3)(e); BGB §195, §199(1) (regular limitation period)"
            start: end-of-year
            period: 3 years
            duty: false
            at-end: erase

          - id: newsletter
            title: Newsletter und Mailinglisten (newsletters and mailing lists)
            purpose: Newsletters, advertising and mailing-list traffic; no retention duty.
            basis: art6-1-f
            start: message-date
            period: 1 year
            duty: false
            at-end: erase

          - id: system-mail
            title: Systemnachrichten (cron, monitoring, bounces, server reports)
            purpose: >-
              Mail generated by programs: cron and monitoring reports, delivery status
              notifications, automatic replies; needed only to operate the systems.
            basis: art6-1-f
            start: message-date
            period: 7 days
            duty: false
            at-end: erase
            # Copies remain in the rotating backups for at most this long after erasure.
            backup-period: 21 days

          - id: spam
            title: Spam
            purpose: Unsolicited mail marked as spam by the filter or the user.
            basis: art6-1-f
            start: message-date
            period: 30 days
            duty: false
            at-end: erase

          - id: personal
            title: Private E-Mails (private mail of staff)
            purpose: >-
              Private mail of staff where private use is permitted. The operator must not read it
              to decide what it is, so at the end it is put before the mailbox owner for review
              instead of being erased.
            basis: art6-1-f
            start: message-date
            period: 1 year
            duty: false
            at-end: review

          - id: unclassified
            title: Nicht zugeordnet (needs review)
            purpose: >-
              Mail that no rule recognised. It could be a commercial letter, so it is kept as long
              as one would be and then put before a person for review.
            basis: art6-1-f
            start: end-of-year
            period: 6 years
            duty: false
            at-end: review

        rules:
          # How rules decide (privctl evaluates every rule):
          # - "decisive: true": the first decisive rule that matches wins over every other.
          #   Decisions made by a filter or a person (spam, private folders), mail written by
          #   programs and mailing lists are decisive. A spam verdict is final even for a file
          #   named like an invoice (invoice-themed phishing is among the commonest spam; an
          #   invoice your filter takes for spam is the filter's to fix); the exceptions
          #   ("none") of the rules for programs and lists keep invoices and business
          #   documents out of them.
          # - Normal rules: when several match, the category whose legal retention duty lasts
          #   longest for the message wins (an invoice sent to jobs@ is an accounting document,
          #   an order sent to datenschutz@ a business letter), so that no document with a duty
          #   is erased because another rule matched too. When none of their categories has a
          #   duty, the first of them in this file wins.
          # - "weak: true": a presumption from circumstances (the kind of counterpart, a
          #   no-reply sender); decides only when no decisive or normal rule matched, the first
          #   weak rule in this file first.
          # privctl classify --explain lists every rule that matched and why the winner won.

          # --- Spam ----------------------------------------------------------------------------
          - id: spam-flag
            category: spam
            why: The receiving spam filter marked the message as spam.
            decisive: true
            any:
              - header: X-Spam-Flag
                is: "yes"
              - header: X-Spam-Status
                starts-with: "yes"
              - header: X-Spam
                is: ["yes", "true"]
            # (Not X-Spam-Level: its stars count points whatever threshold the server uses.)

          - id: spam-folder
            category: spam
            why: The user or the server filed the message as spam.
            decisive: true
            any:
              - folder: [Junk, Spam, Junk-E-Mail, Junk E-Mail, Junk-Mail, Bulk Mail]

          # A sender the receiving server could not authenticate: the domain's SPF record does
          # not allow the host that delivered it (fail or softfail) and no DKIM signature or
          # DMARC check passed. Forged senders are how most spam and phishing that passed the
          # filter arrive. Not decisive: a rule of a category with a legal duty still wins (an
          # invoice from a supplier with a broken SPF record stays an invoice), but a presumption
          # from the sender's domain does not.
          - id: unauthenticated-sender
            category: spam
            why: The receiving server could not authenticate the sender (SPF failed, no DKIM or DMARC pass).
            any:
              - header: Authentication-Results
                contains: ["spf=fail", "spf=softfail"]
              - header: Received-SPF
                starts-with: [fail, softfail]
            none:
              # A pass anywhere wins over a fail elsewhere: a forwarder's hop may fail SPF where
              # the receiving server's own check passed.
              - header: Authentication-Results
                contains: ["dkim=pass", "dmarc=pass", "spf=pass"]
              - header: Received-SPF
                starts-with: pass

          # --- Private mail --------------------------------------------------------------------
          # Only the folder decides: the operator must not read private mail to classify it.
          - id: private-folder
            category: personal
            why: The mailbox owner filed the message in a private folder.
            decisive: true
            any:
              - folder: [Privat, Private, Personal, Persönlich, Persoenlich]

          # --- Mail written by programs --------------------------------------------------------
          - id: delivery-report
            category: system-mail
            why: A delivery status notification (bounce) or read receipt generated by a mail server.
            decisive: true
            any:
              - attachment-type: [multipart/report, message/delivery-status, message/disposition-notification]
              - from: [mailer-daemon, postmaster]
              # The null reverse path: RFC 5321 §4.5.5 reserves it for notifications that must
              # not be answered (bounces, receipts, automatic replies).
              - header: Return-Path
                is: "<>"

          - id: system-account
            category: system-mail
            why: Sent by a system account or a server job (cron, monitoring, log reports), not by a person.
            decisive: true
            any:
              - from:
                  - root
                  - cron
                  - anacron
                  - daemon
                  - backup
                  - nagios
                  - icinga
                  - zabbix
                  - monit
                  - monitoring
                  - alertmanager
                  - grafana
                  - logwatch
                  - smartd
                  - mdadm
                  - "*dmarc*"
              - header: X-Cron-Env
              - subject:
                  - cron <
                  - logwatch for
                  - fail2ban
                  - problem service alert
                  - recovery service alert
                  - problem host alert
                  - recovery host alert
                  - monit alert
                  - degradedarray event
                  - smart error
                  - unattended-upgrades
                  - apticron
                  - anacron
                  - report domain
                  - dmarc aggregate report

          # RFC 3834: Auto-Submitted other than "no" marks mail sent by a program (auto-replies,
          # notifications). Billing and shop systems set it too, so anything that looks like an
          # accounting document or a transaction is left to the rules further down.
          - id: auto-submitted
            category: system-mail
            why: Marked as sent by a program (Auto-Submitted, RFC 3834) and nothing in it looks like a business document.
            decisive: true
            all:
              - header: Auto-Submitted
                is-not: "no"
            none:
              - attachment-type: [application/pdf, application/xml, text/xml]
              - subject: *accounting-words
              - subject: *business-words
              - attachment: *accounting-words
              - body: *invoice-numbers
              # An order confirmed by a shop's or a supplier's system.
              - body: *transaction-phrases

          # --- Newsletters and mailing lists ---------------------------------------------------
          - id: mailing-list
            category: newsletter
            why: Distributed through a mailing list (List-Id or Precedence list).
            decisive: true
            any:
              - header: List-Id
              - header: Precedence
                is: list
            none:
              - attachment: *accounting-words

          # List-Unsubscribe and Precedence: bulk also come with invoices sent by billing
          # services, so a subject or attachment naming an accounting document wins over them.
          - id: bulk-mail
            category: newsletter
            why: Sent as bulk mail (List-Unsubscribe, Precedence bulk or junk, or a newsletter sender address).
            decisive: true
            any:
              - header: List-Unsubscribe
              - header: Precedence
                is: [bulk, junk]
              - from: [newsletter, "newsletter-*", "*-newsletter", news, marketing, mailing, "*@newsletter.*", "*@news.*"]
            none:
              - attachment: *accounting-words
              # Billing systems send invoices as bulk mail too, with the document attached.
              - attachment-type: [application/pdf, application/xml, text/xml]
              - body: *invoice-numbers
              - subject:
                  - ihre rechnung*
                  - your invoice*
                  - rechnungsnummer*
                  - rechnungsnr*
                  - rechnung nr*
                  - invoice no*
                  - "invoice #"
                  - gutschrift*
                  - your receipt*
                  - ihre quittung*
                  # Order confirmations of shops, sent by the same systems.
                  - ihre bestellung*
                  - bestellbestätigung*
                  - auftragsbestätigung*
                  - your order*
                  - order confirmation*
              - body: *transaction-phrases

          # --- Requests of data subjects (GDPR Art. 15-21) -------------------------------------
          # Subjects that name the right; a data processing agreement (AVV/DPA) is a contract,
          # not a request. A reply keeps its thread's subject: it is judged by the next rule.
          - id: privacy-request
            category: privacy-request
            why: A request of a data subject under GDPR Art. 15-21.
            all:
              - reply: false
              - subject: &privacy-subjects
                  - auskunftsersuchen*
                  - auskunftsanfrage*
                  - auskunftsantrag*
                  - auskunftsverlangen
                  - datenauskunft*
                  - selbstauskunft nach*
                  - auskunft nach art*
                  - auskunft gemäß art*
                  - auskunft gem. art*
                  - art. 15
                  - art 15
                  - artikel 15
                  - art. 17
                  - artikel 17
                  - art. 21 dsgvo
                  - art. 21 ds-gvo
                  - art. 21 gdpr
                  - artikel 21 dsgvo
                  - löschantrag*
                  - löschungsantrag*
                  - löschersuchen*
                  - löschungsersuchen*
                  - löschbegehren*
                  - löschaufforderung*
                  - löschung meiner*
                  - löschung personenbezogener*
                  - antrag auf löschung
                  - recht auf löschung
                  - recht auf vergessenwerden
                  - datenlöschung*
                  - widerspruch gegen die verarbeitung*
                  - datenübertragbarkeit
                  - subject access request*
                  - data subject*
                  - right of access
                  - right to erasure
                  - right to be forgotten
                  - erasure request*
                  - deletion request*
                  - delete my data
                  - delete my personal data
                  - data portability
            none:
              - subject: [auftragsverarbeitung*, avv, data processing agreement*, dpa]
              # "Löschantrag" is also how registries name the deletion of a domain.
              - subject: [domain, domains, "*domain", domain*]

          # A reply in the thread of a request (under its subject) is the handling of the
          # request when its own text, above the quote, speaks of it; one that is about
          # something else ("Re: Auskunftsersuchen" asking for a credit note for an
          # outage, years later) is judged by the rules of what it is about.
          - id: privacy-request-reply
            category: privacy-request
            why: A reply in the thread of a request under GDPR Art. 15-21 whose own text is about the request.
            all:
              - reply: true
              - subject: *privacy-subjects
              - own-text: *privacy-words
            none:
              - subject: [auftragsverarbeitung*, avv, data processing agreement*, dpa]

          # Mail to or from the privacy contact (the address a privacy notice names) is the
          # handling of requests; contracts about data processing (AVV/DPA) that pass through
          # it are left to the business rules, and an invoice or an order sent there is kept as
          # one: the rules of documents with a legal duty win over this one.
          - id: privacy-contact
            category: privacy-request
            why: Sent to or by the privacy contact address, which handles requests of data subjects.
            # The address is evidence, not a verdict: the text has to speak of data protection
            # too (a customer who proposes an appointment there is not making a request).
            all:
              - own-text: *privacy-words
            any:
              - from: &privacy-addresses [datenschutz, privacy, dsb, dpo, gdpr, dsgvo, datenschutzbeauftragter]
              - to: *privacy-addresses
            none:
              - subject: [auftragsverarbeitung*, avv, data processing agreement*, dpa, vertrag*, contract*]
              - attachment: [avv*, "*vertrag", vertrag*, dpa, contract*]
              # Between the privacy address and a business, mail is as likely correspondence
              # about a contract as a request: the weak business rules keep it as a letter.
              - counterpart: business
              # A customer who writes there about the service.
              - body: *service-words

          # A vaguer subject ("Auskunft", "meine Daten") confirmed by a text that cites the GDPR
          # (the author's own: a reply that quotes a request is judged by the rule above).
          - id: privacy-request-body
            category: privacy-request
            why: The subject asks about or for erasure of personal data and the text cites the GDPR.
            all:
              - subject:
                  - auskunft*
                  - "*auskunft"
                  - löschung*
                  - "*löschung"
                  - löschen
                  - berichtigung*
                  - widerspruch*
                  - einschränkung*
                  - meine daten
                  - meiner daten
                  - personenbezogene*
                  - my data
                  - my personal data
                  - personal data
                  - access request
                  - erasure
                  - deletion
                  - objection*
                  - gespeicherte daten
                  - werbung                # not "*werbung": that would take "Bewerbung"
                  - werbewiderspruch
              - own-text: *gdpr-citations
            none:
              - subject: [auftragsverarbeitung*, avv, data processing agreement*, dpa]

          # --- Job applications ----------------------------------------------------------------
          - id: job-application
            category: job-application
            why: An application for a job, or the correspondence about one.
            any:
              - subject: &application-subjects
                  - bewerbung*
                  - "*bewerbung"
                  - job application*
                  - application for the position*
                  - application for a position*
                  - application as
                  - applying for
                  - your application
                  - your application for*
                  - my application
                  - vorstellungsgespräch*
                  - job interview*
                  - stellenanzeige*
                  - "*stellenanzeige"
                  - stellenausschreibung*
                  - stellenangebot*
                  - job posting*
                  - ausbildungsplatz*
                  - praktikumsplatz*
              - attachment:
                  - lebenslauf*
                  - "*lebenslauf"
                  - cv
                  - curriculum vitae
                  - resume
                  - résumé
                  - bewerbung*
                  - "*bewerbung"
                  - arbeitszeugnis*
                  - "*zeugnisse"
              # The text of an application names what it is; a reply in its thread quotes it.
              - body:
                  - bewerbe mich
                  - bewerbe ich mich
                  - bewerben möchte
                  - meine bewerbung
                  - meiner bewerbung
                  - bewerbungsunterlagen
                  - to apply for the position*
                  - applied for the position*
                  - apply for the role*
                  - applied for the role*
                  - my application for*

          # Applications go to and come from the addresses a job advert names; but what else
          # reaches such an address (an invoice, an order, a customer's question) is what it
          # says it is: the rules of documents with a legal duty win over this one, and mail
          # with a business is left to the business rules.
          - id: application-address
            category: job-application
            why: Sent to or by an address that receives applications, about a job.
            # The address is evidence, not a verdict: the text has to speak of a job too.
            all:
              - own-text: *application-words
            any:
              - from: &application-addresses [bewerbung, bewerbungen, jobs, job, karriere, career, careers, recruiting]
              - to: *application-addresses
            none:
              # Applicants write from their own addresses; a business that writes to jobs@
              # (a customer, a supplier) is left to the business rules. An application from an
              # employer's address is still recognised by its subject, attachments or text.
              - counterpart: business

          # --- Accounting and commercial correspondence ----------------------------------------
          # Annual accounts before accounting documents: "Gewinn- und Verlustrechnung" ends
          # with "rechnung".
          - id: annual-accounts
            category: annual-accounts
            why: Annual accounts, a balance sheet, an inventory or the books of account.
            any:
              - subject: &annual-words
                  - jahresabschluss*
                  - "*jahresabschluss"
                  - bilanz*
                  - "*bilanz"
                  - gewinn- und verlustrechnung
                  - gewinn und verlustrechnung
                  - guv
                  - inventur*
                  - inventar
                  - inventarliste*
                  - lagebericht*
                  - hauptabschlussübersicht*
                  - annual accounts
                  - annual financial statement*
                  - financial statements
                  - balance sheet*
                  - trial balance*
              - attachment: *annual-words

          - id: invoice-attachment
            category: accounting-document
            why: An attachment is named like an invoice, credit note, receipt or other booking document.
            any:
              - attachment: *accounting-words

          # "Berechnung" (calculation) also ends with "rechnung"; a change of billing address is a
          # letter, not a document.
          - id: invoice-subject
            category: accounting-document
            why: The subject names an invoice, credit note, receipt or other booking document.
            any:
              - subject: *accounting-words
              - subject: *payment-words
            none:
              - subject: [berechnung*, "*berechnung", rechnungsanschrift*, rechnungsadresse*, billing address*]
              # "Bewerbung als Fachkraft Rechnungswesen": a job title, not a document.
              - subject: *applicant-subjects

          # Invoices written in the body of the mail: an invoice number and a tax or total line.
          - id: invoice-body
            category: accounting-document
            why: The text carries an invoice or receipt number together with tax or total amounts.
            all:
              - body: *invoice-numbers
              - body:
                  - mwst*
                  - ust*
                  - umsatzsteuer*
                  - mehrwertsteuer*
                  - gesamtbetrag*
                  - rechnungsbetrag*
                  - vat
                  - sales tax
                  - total

          # The prospect's answer in an inquiry thread may accept the offer, which makes the
          # thread commercial correspondence: on the side of the longer period and the duty,
          # replies in such a thread are kept as letters, whether the prospect is a business or
          # a person at a private address, and so are our answers (an offer prepares a
          # transaction, HGB §257(1) Nr. 3); unless the thread is a request under the GDPR.
          - id: inquiry-thread-reply
            category: business-letter
            why: A prospect answered in an inquiry thread; the conversation may have led to a contract.
            all:
              - reply: true
              - subject: *inquiry-subjects
            none:
              - counterpart: internal
              # A contact form that carried a request of a data subject: a reply whose own text
              # makes or answers one. (Not the privacy address as such, nor a request the reply
              # quotes, nor words of data protection, which signatures and hosting questions
              # have too.)
              - own-text: *request-phrases
              - own-text: *request-answer-phrases

          # A request for a quote names the offer it asks for: an inquiry, not yet a transaction.
          # Decisive, so that the offer it names ("Anfrage Angebot") does not make it a
          # business letter; unless a booking document is attached.
          - id: quote-request
            category: inquiry
            why: A request for a quote or a question about an offer, before any contract.
            decisive: true
            all:
              # The first message; the thread's replies are left to the rules below.
              - reply: false
              - subject:
                  - anfrage*
                  - "*anfrage"
                  - frage zu*
                  - fragen zu*
                  - bitte um
                  - request*
                  - question*
                  - inquiry*
                  - enquiry*
              - subject: [angebot*, "*angebot", quote, quotation*, offer*, pricing]
            none:
              - attachment: *accounting-words
              # The answer that places the order, in the same thread.
              - body: *transaction-phrases
              - attachment: *business-words
              # A question about a transaction that exists: an invoice, a delivery, an order.
              - subject: [rechnung*, "*rechnung", invoice*, lieferung*, delivery*, bestellung*, "*bestellung", auftrag, vertrag*, contract*, payment*, zahlung*]

          - id: business-transaction
            category: business-letter
            why: Correspondence about a transaction (offer, order, contract, delivery, reminder) is a commercial letter.
            any:
              - subject: *business-words
            none:
              # "Bewerbung: Sachbearbeiter Auftragsabwicklung": a job title, not a transaction.
              - subject: *application-subjects

          # The text places, accepts or ends an order or a contract, or a document of one is
          # attached (an order, a contract, a notice of termination), whatever the thread's
          # subject says ("Re: Anfrage Webhosting" that orders, "Re: Widerspruch gegen Werbung"
          # that ends the contract).
          - id: transaction-text
            category: business-letter
            why: The text or an attached document places, accepts or ends an order or a contract.
            any:
              - body: *transaction-phrases
              - attachment: *business-words
              # A data processing agreement (GDPR Art. 28) is a contract too; asking whether
              # one is offered is not.
              - attachment: [avv, avv_*, "*_avv", auftragsverarbeitung*, "*auftragsverarbeitung", dpa, data processing agreement*]
            none:
              - subject: *applicant-subjects

          # Requests arrive through web contact forms too, under the form's generic subject;
          # the text then names the right. Only phrases that ask for it count: privacy notices
          # in signatures cite the articles without asking.
          - id: privacy-request-form
            category: privacy-request
            why: A contact-form message or inquiry whose text invokes a right under the GDPR.
            all:
              - subject:
                  - kontaktformular*
                  - "*kontaktformular"
                  - kontakt*
                  - contact*
                  - anfrage*
                  - "*anfrage"
                  - anliegen
                  - nachricht*
                  - "*nachricht"
                  - message
                  - request*
              - own-text:
                  - auskunft nach art*
                  - auskunft gemäß art*
                  - auskunft gem. art*
                  - gemäß art. 15
                  - gemäß art. 17
                  - gem. art. 15
                  - gem. art. 17
                  - nach art. 15
                  - nach art. 17
                  - art. 15 dsgvo
                  - art. 17 dsgvo
                  - art. 21 dsgvo
                  - recht auf auskunft
                  - recht auf löschung
                  - löschung meiner*
                  - meine daten zu löschen
                  - under article 15
                  - under article 17
                  - article 15 gdpr
                  - article 17 gdpr
                  - right of access
                  - right to erasure
                  - subject access request
                  - delete my personal data

          # Requests and our answers written under another subject (a reply in an old thread, a
          # contact form): phrases that make or answer a request, not those that merely cite the
          # GDPR as privacy notices in signatures do; in the author's own text. After the transaction rules: a letter
          # about an offer or a contract that also answers a request is kept as the letter,
          # which is the longer period and a duty.
          - id: privacy-request-text
            category: privacy-request
            why: The text makes or answers a request under GDPR Art. 15-21.
            any:
              - own-text: *request-phrases
              - own-text: *request-answer-phrases
            none:
              - subject: [auftragsverarbeitung*, avv, data processing agreement*, dpa]

          # What prospects write; a customer's question about the service they have is
          # correspondence about the contract and is left to the rules below.
          - id: inquiry
            category: inquiry
            why: An inquiry from a prospect that names no transaction yet.
            any:
              - subject: *inquiry-subjects

          # A first message whose text asks about the offer, under any subject ("Question about
          # VPS Pro 16"). Not a reply: a customer's answer that quotes the first inquiry is
          # left to the rules of correspondence.
          - id: inquiry-text
            category: inquiry
            why: The text of a first message shows interest in the offer or asks for a quote.
            all:
              - reply: false
              - body:
                  - interested in your
                  - could you send us a quote
                  - could you send me a quote
                  - please send us a quote
                  - wir interessieren uns für
                  - ich interessiere mich für
                  - interessieren uns für ihr*
                  - können sie uns ein angebot
                  - könnten sie uns ein angebot
                  - bitte um ein angebot
                  - bitten um ein angebot

          # Private mail from any domain, recognised by its style: a closing only friends and
          # family use, or the familiar "du", with nothing commercial in the text (no word of a
          # transaction or a document, no company register data of a signature) and no
          # document attached. Friends write from their own or their employer's domain too, so
          # the counterpart's domain does not decide; mail with business content stays with the
          # business rules, and at the end private mail is put before its owner, not erased.
          - id: private-style
            category: personal
            why: Written in the style of private mail (a closing used among friends and family, or "du") with nothing commercial in it.
            any:
              - body: [du, dich, dir, dein, deine, deinen, deinem, deiner, euch, euer, eure, euren, eurem]
              # Verbs in the familiar second person ("kannst", "habt", "sag mir"): "Ihr" and
              # "ihr" cannot be told apart once case is folded, these can.
              - body:
                  - kannst
                  - hast
                  - bist
                  - willst
                  - weißt
                  - magst
                  - musst
                  - könntest
                  - würdest
                  - hättest
                  - wärst
                  - könnt
                  - habt
                  - seid
                  - wollt
                  - hättet
                  - würdet
                  - sag mir
                  - meld dich
              - body:
                  - liebe grüße
                  - liebe grüsse
                  - ganz liebe grüße
                  - lg
                  - bis bald
                  - alles liebe
                  - hab dich lieb
                  - habt euch lieb
                  - drück dich
                  - drück euch
                  - bussi
                  - küsschen
                  - love
                  - lots of love
                  - take care
                  - see you soon
                  - hugs
                  - xoxo
            none:
              - body: *accounting-words
              - body: *business-words
              - body: &register-words
                  - hrb
                  - hra
                  - ust-idnr*
                  - ust-id*
                  - umsatzsteuer-id*
                  - steuernummer
                  - geschäftsführer*
                  - geschäftsführung
                  - amtsgericht
                  - registergericht
                  - handelsregister*
                  - sitz der gesellschaft
                  - vorstand
                  - registered office
                  - registered in england*
                  - company number
                  - company registration*
                  - vat reg*
                  - vat id
                  - kundennummer*
                  - kundennr*
                  - customer number
                  - customer id
                  - ticket*
              - body: *service-words
              # Prices as a business quotes them (per month, per person, plus VAT), however
              # familiar the tone; not any sum ("die Karten kosten 45 Euro").
              - body: &price-words ["/monat", pro monat, im monat, pro person, per month, per person, zzgl*, inkl. mwst, plus vat, netto, brutto]
              - attachment-type: ["application/*"]

          # Notifications from no-reply addresses that none of the rules above recognised as a
          # document, a transaction or an inquiry (password resets, sign-in alerts, status
          # mails). They come after the content rules because shops and billing services send
          # invoices and order confirmations from such addresses too.
          # Private life: staff's own mail that was not filed in a private folder, from friends
          # at a private address, a colleague, or a friend's own or employer's domain. The
          # subject names a private occasion and the text has nothing of a business in it: no
          # formal salutation or closing, no word of a transaction, a document, a company
          # register or the service.
          - id: private-life
            category: personal
            why: Private mail of staff with a private address or a colleague about private matters.
            all:
              - subject:
                  - geburtstag*
                  - "*geburtstag"
                  - alles gute
                  - glückwunsch*
                  - herzlichen glückwunsch*
                  - urlaub
                  - urlaub im*
                  - urlaubsfotos
                  - "*urlaub"
                  - fotos vom*
                  - bilder vom*
                  - wochenende
                  - familienfeier*
                  - familientreffen
                  - klassentreffen
                  - hochzeit*
                  - grillen
                  - grillabend
                  - "*party"
                  - party
                  - essen
                  - essen gehen
                  - abendessen
                  - konzert*
                  - "*konzert"
                  - kino*
                  - fußball*
                  - umzug
                  - happy birthday
                  - birthday*
                  - wedding*
                  - weekend
                  - family
                  - dinner
                  - concert*
                  - vacation*
                  - holiday*
                  - photos
                  - photos from*
                  - pictures from*
                  - trip
                  - visiting*
            none:
              # The same words from a business ("Umzug Ihrer Website", "Sommerfest – Einladung an
              # unsere Kunden") are about the business.
              - body: *formal-words
              - body: *business-words
              - body: *accounting-words
              - body: *register-words
              - body: *service-words
              - body: *price-words
              # A document named like a business one; an invitation or photos are private.
              - attachment: *accounting-words
              - attachment: *business-words

          - id: noreply-notification
            category: system-mail
            why: An automatic notification from a no-reply address that names no document or transaction.
            weak: true
            any:
              - from: ["*noreply*", "*no-reply*", "*donotreply*", "*do-not-reply*", "notification", "notifications", "notify"]
            none:
              - attachment-type: [application/pdf, application/xml, text/xml]

          # Generic commercial correspondence: a message exchanged with a business (a domain
          # that is neither ours nor a private mail provider's) in a conversation we take part
          # in, because we sent it or it answers one, is in all likelihood about our business.
          # It is kept as a commercial letter, as long as the fallback would keep it, but with a
          # definite category.
          - id: business-correspondence
            category: business-letter
            why: A message we exchanged with a business counterpart (sent by us, or a reply in a thread) is commercial correspondence.
            weak: true
            all:
              - counterpart: business
            any:
              - sent: true
              - reply: true

          # Direct mail between a business and us that no rule above recognised (support
          # questions, supplier notices, appointments): bulk and automated mail were taken out
          # above, so this is correspondence too, with or without a document attached (an
          # invoice among them is recognised by the accounting rules, whose duty is longer).
          - id: business-direct
            category: business-letter
            why: Personal mail exchanged with a business is commercial correspondence.
            weak: true
            all:
              - counterpart: business

          # Formal mail with a person at a private address (a customer who writes from gmx.de,
          # a craftsman without an own domain): "Sehr geehrte Frau …", "Mit freundlichen
          # Grüßen" is how one writes about a business, not to friends. Kept as a letter (which
          # the fallback would keep as long, but without the duty); an inquiry, an application
          # or a request recognised above wins.
          - id: formal-correspondence
            category: business-letter
            why: Formal correspondence with a person at a private address is commercial correspondence.
            weak: true
            all:
              - counterpart: private
              - body: *formal-words

          # A customer at a private address who writes about the service we provide (a
          # migration, a mailbox, the website, a backup), in any tone: correspondence about the
          # contract. Friends who write about such things in a familiar style are private mail
          # (private-style decides before any weak rule).
          - id: service-correspondence
            category: business-letter
            why: A person at a private address writes about the service, which is correspondence about a contract.
            weak: true
            all:
              - counterpart: private
              - own-text: *service-words

          # What people send to the support or billing address is about the contract they have
          # or want, whatever it says (spam, programs and lists were taken out above).
          - id: service-address
            category: business-letter
            why: Sent to or by the support or billing address, which handles customers' contracts.
            weak: true
            any:
              - from: &service-addresses [support, service, kundenservice, customerservice, helpdesk, hotline, billing, buchhaltung, rechnung, rechnungen, invoice, invoices, accounting, vertrieb, sales]
              - to: *service-addresses

          # A reply in the thread of a request that says nothing the rules above recognise
          # ("Danke, erledigt."): the handling of the request. Last of all, so that any other
          # presumption (a business counterpart, formal mail, the service) decides first.
          - id: privacy-thread
            category: privacy-request
            why: A reply in the thread of a request under GDPR Art. 15-21 that says nothing else.
            weak: true
            all:
              - reply: true
              - subject: *privacy-subjects
            none:
              - subject: [auftragsverarbeitung*, avv, data processing agreement*, dpa]

        # The register of recipients (GDPR Art. 30(1)(d)): processors and third parties that
        # receive personal data, with purpose and legal basis. Mail sent from a Sent folder to
        # one of their domains is recorded as a transfer to them (by id, never by address);
        # mail sent to any other outside domain as a transfer to that domain. privctl report
        # lists them for a person whose data is in one of their categories. An example:
        #
        # recipients:
        #   - id: tax-adviser
        #     name: Steuerberatung Muster & Partner
        #     kind: third-party                 # or processor (Art. 28)
        #     purpose: Bookkeeping and annual accounts.
        #     basis: art6-1-c
        #     law: "AO §147; StBerG §33"
        #     domains: [stb-muster.de]
        #     categories: [accounting-document, business-letter]   # none: every category
        #   - id: domain-registry
        #     name: DENIC eG
        #     kind: third-party
        #     purpose: Registering the customer's .de domains.
        #     basis: art6-1-b
        #     domains: [denic.de]
        #     categories: [business-letter]
        """#
}
