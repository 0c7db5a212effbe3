#!/usr/bin/env python3
"""Writes redaction_labelled.jsonl: hand-written sentences with their PII labelled.

Each line is {"text": ..., "pii": [{"type": ..., "value": ...}, ...]}; a value
is located in the text in order (first occurrence after the previous one).
Checksummed numbers (NHS mod 11, card Luhn) are completed by the helpers below
so the labels are correct by construction; the negatives deliberately include
near misses (bad checksums, order numbers, dates, times, versions, prices, sort
codes, reference numbers). Run it to regenerate the file; the set is
committed so the test does not depend on this script.
"""
import json
import os


def nhs(nine):
    s = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    c = 11 - s % 11
    c = 0 if c == 11 else c
    assert c != 10, nine
    return nine + str(c)


def nhs_bad(nine):
    good = nhs(nine)
    return nine + str((int(good[-1]) + 3) % 10)


def spaced_nhs(n):
    return f"{n[:3]} {n[3:6]} {n[6:]}"


def luhn(partial):
    digits = [int(d) for d in partial + "0"]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return partial + str((10 - total % 10) % 10)


def luhn_bad(partial):
    good = luhn(partial)
    return partial + str((int(good[-1]) + 1) % 10)


def group4(n, sep=" "):
    return sep.join(n[i:i + 4] for i in range(0, len(n), 4))


P, E, NI, NHS, PC, CARD, IP, SN = ("phone", "email", "ni_number", "nhs_number",
                                   "postcode", "card_number", "ip_address",
                                   "service_number")

rows = []


def add(text, *pii):
    rows.append({"text": text, "pii": [{"type": t, "value": v} for t, v in pii]})


# ---- phones -------------------------------------------------------------------
add("Call me on 07700 900123 after six.", (P, "07700 900123"))
add("My mobile is 07700900456", (P, "07700900456"))
add("ring +44 7700 900789 if I don't answer", (P, "+44 7700 900789"))
add("Number: +44 (0)7700-900111.", (P, "+44 (0)7700-900111"))
add("from abroad dial 0044 7700 900222", (P, "0044 7700 900222"))
add("Office (020) 7946 0018, ask for Sam", (P, "(020) 7946 0018"))
add("landline 0113 496 0000 is best", (P, "0113 496 0000"))
add("Try 0161-496-0123 or email", (P, "0161-496-0123"))
add("my sister's number is 01632 960001", (P, "01632 960001"))
add("US cousin: +1 202 555 0143", (P, "+1 202 555 0143"))
add("Irish line +353 1 234 5678 works", (P, "+353 1 234 5678"))
add("text 07700 900333 or 07700 900334", (P, "07700 900333"), (P, "07700 900334"))
add("call 0800 123 4567 for the helpline", (P, "0800 123 4567"))
add("my new number 07700-900-555!", (P, "07700-900-555"))
add("(+44) no, it's +447700900666", (P, "+447700900666"))
add("Call 020 7946 0999 tomorrow at 10:30", (P, "020 7946 0999"))
add("He said 07700 900777, then hung up.", (P, "07700 900777"))
add("Phone: 0121 496 0456; fax none", (P, "0121 496 0456"))
add("whatsapp +33 6 12 34 56 78 please", (P, "+33 6 12 34 56 78"))
add("numbers:07700900888", (P, "07700900888"))
add("reach her at +44 20 7946 0321 during the day", (P, "+44 20 7946 0321"))
add("mum (01632 960123) knows", (P, "01632 960123"))
add("Emergency contact 07700 900 999", (P, "07700 900 999"))
add("+61 2 9876 5432 is the Sydney office", (P, "+61 2 9876 5432"))
add("My number's 07700 900432 and my wife's is 07700 900433",
    (P, "07700 900432"), (P, "07700 900433"))

# UK mobiles without + or 00
add("whatsapp me on 447700900123", (P, "447700900123"))
add("my mobile 44 7700 900345 (UK)", (P, "44 7700 900345"))

# ---- emails -------------------------------------------------------------------
add("Email me at jo.bloggs@example.com thanks", (E, "jo.bloggs@example.com"))
add("contact: SAM_SMITH+vets@Example.co.uk.", (E, "SAM_SMITH+vets@Example.co.uk"))
add("<a.b-c@mail.example.org>", (E, "a.b-c@mail.example.org"))
add("my work one is j.o'neill@army.mod.uk", (E, "j.o'neill@army.mod.uk"))
add("send it to veteran123@gmail.com or call", (E, "veteran123@gmail.com"))
add("emails: x@example.net, y@example.net", (E, "x@example.net"), (E, "y@example.net"))
add("reply-to=help.desk@nhs.net", (E, "help.desk@nhs.net"))
add("(sarah.jones@example.ac.uk)", (E, "sarah.jones@example.ac.uk"))
add("I'm on tom@example.io now", (E, "tom@example.io"))
add("Forward to first.last@sub.domain.example.com please",
    (E, "first.last@sub.domain.example.com"))
add("His address is mike.t@example.scot.", (E, "mike.t@example.scot"))
add("email:anna@example.com", (E, "anna@example.com"))

# internationalised domains and address literals (spans are exact byte spans)
add("new address: name@münchen.de from Monday", (E, "name@münchen.de"))
add("japanese friend user@例え.jp wrote", (E, "user@例え.jp"))
add("Иван: ivan@пример.рф.", (E, "ivan@пример.рф"))
add("send to josé@example.com please", (E, "josé@example.com"))
add("the server literal user@[192.0.2.1] bounced", (E, "user@[192.0.2.1]"))
add("odd one: admin@[IPv6:2001:db8::1]", (E, "admin@[IPv6:2001:db8::1]"))
add("punycode user@example.xn--p1ai works too", (E, "user@example.xn--p1ai"))
add("write to jo@example.com—thanks", (E, "jo@example.com"))

# ---- NI numbers ---------------------------------------------------------------
add("NI number AB 12 34 56 C on file", (NI, "AB 12 34 56 C"))
add("my NI is JG103759A", (NI, "JG103759A"))
add("National Insurance: ce 12 34 56 d", (NI, "ce 12 34 56 d"))
add("NINO PZ123456B, tax code 1257L", (NI, "PZ123456B"))
add("use SN 98 76 54 A for the claim", (NI, "SN 98 76 54 A"))
add("NI: HJ 654321 B.", (NI, "HJ 654321 B"))
add("It's WR123456D I think", (NI, "WR123456D"))
add("ni no. MA 11 22 33 A", (NI, "MA 11 22 33 A"))

# ---- NHS numbers --------------------------------------------------------------
for nine, fmt in [("943476591", "plain"), ("401023213", "spaced"), ("485777345", "plain"),
                  ("123456788", "spaced"), ("650201234", "dash"), ("900000000", "plain"),
                  ("735522345", "spaced"), ("821134567", "plain"), ("612345678", "spaced"),
                  ("450557710", "plain")]:
    n = nhs(nine)
    shown = {"plain": n, "spaced": spaced_nhs(n), "dash": f"{n[:3]}-{n[3:6]}-{n[6:]}"}[fmt]
    add(f"NHS number {shown} on my records", (NHS, shown))
add(f"My NHS no is {nhs('464891234')}.", (NHS, nhs("464891234")))
add(f"nhs:{spaced_nhs(nhs('574120098'))}", (NHS, spaced_nhs(nhs("574120098"))))

# ---- postcodes ------------------------------------------------------------------
add("I live at 10 Downing Street, SW1A 2AA", (PC, "SW1A 2AA"))
add("postcode M1 1AE, flat 3", (PC, "M1 1AE"))
add("send it to B33 8TH please", (PC, "B33 8TH"))
add("we're in CR2 6XH now", (PC, "CR2 6XH"))
add("DN55 1PT is the old depot", (PC, "DN55 1PT"))
add("W1A 0AX (Broadcasting House)", (PC, "W1A 0AX"))
add("EC1A 1BB, London", (PC, "EC1A 1BB"))
add("moved to ls1 4ap last year", (PC, "ls1 4ap"))
add("Postcode: PL1 1EG.", (PC, "PL1 1EG"))
add("near EH1 1YZ in Edinburgh", (PC, "EH1 1YZ"))
add("CF10 1EP Cardiff", (PC, "CF10 1EP"))
add("BT1 5GS, Belfast", (PC, "BT1 5GS"))
add("my address ends SW1A1AA", (PC, "SW1A1AA"))
add("GIR 0AA was the Girobank code", (PC, "GIR 0AA"))

# ---- cards ----------------------------------------------------------------------
for partial, sep in [("411111111111111", " "), ("555555555555444", "-"), ("378282246310005", None),
                     ("601111111111111", " "), ("400000000000000", ""), ("510510510510510", " "),
                     ("453201511283036", "-"), ("222300000000000", " ")]:
    if sep is None:
        num = partial  # already complete (Amex test number)
        shown = f"{num[:4]} {num[4:10]} {num[10:]}"
    else:
        num = luhn(partial)
        shown = group4(num, sep) if sep else num
    add(f"card {shown} expires 12/27", (CARD, shown))
add(f"paid with {luhn('492900000000000')} yesterday", (CARD, luhn("492900000000000")))
add(f"Card: {group4(luhn('356600202036050'))}, CVV withheld", (CARD, group4(luhn("356600202036050"))))

# ---- IP addresses -------------------------------------------------------------------
add("login from 192.168.1.20 failed", (IP, "192.168.1.20"))
add("IP: 10.0.0.1.", (IP, "10.0.0.1"))
add("client 203.0.113.195 connected", (IP, "203.0.113.195"))
add("v6 address 2001:db8::8a2e:370:7334 seen", (IP, "2001:db8::8a2e:370:7334"))
add("loopback ::1 only", (IP, "::1"))
add("full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 logged",
    (IP, "2001:0db8:85a3:0000:0000:8a2e:0370:7334"))
add("mapped ::ffff:192.0.2.128 address", (IP, "::ffff:192.0.2.128"))
add("link-local fe80::1ff:fe23:4567:890a%eth0", (IP, "fe80::1ff:fe23:4567:890a"))
add("(from 198.51.100.7)", (IP, "198.51.100.7"))
add("gateway=172.16.254.1", (IP, "172.16.254.1"))

# ---- service numbers -------------------------------------------------------------------
# Army 8 digits (older officers 6), RAF 7 (older 8): only next to a cue (service
# number/no, S/N, Army/RAF/RN/RM, a rank). Navy/Marines letter + 6 digits + letter
# stand alone.
add("I was a Lance Corporal, service number 24681357", (SN, "24681357"))
add("My service number is 25012345 if you need it", (SN, "25012345"))
add("Service No: 30098765, discharged 2012", (SN, "30098765"))
add("Pte 25123456 Jones, 1st Battalion", (SN, "25123456"))
add("He signed it 24598761 Cpl A Khan", (SN, "24598761"))
add("old Army number 512345, commissioned 1979", (SN, "512345"))
add("RAF no. 8123456 from my time at Leuchars", (SN, "8123456"))
add("SAC 2345678, Typhoon ground crew", (SN, "2345678"))
add("Sgt J Evans 30765432 asked for a callback", (SN, "30765432"))
add("WO2 25432109 (retd)", (SN, "25432109"))
add("as Capt 543210 I commanded a troop", (SN, "543210"))
add("Navy number D123456K, served on HMS Ocean", (SN, "D123456K"))
add("Marines: P054321B, 42 Commando", (SN, "P054321B"))
add("it's C765432A on the letter from Veterans UK", (SN, "C765432A"))
add("S/N 25987654, Gnr in 7 RHA", (SN, "25987654"))
add("Cpl 25012345 and Spr 25054321 were both there",
    (SN, "25012345"), (SN, "25054321"))
# Hard cases kept to show the limits (expected misses / false positives):
add("my number was 25012345 when I joined up", (SN, "25012345"))  # no military cue
add("Army no 2501 2345 on the old card", (SN, "2501 2345"))  # grouped digits
add("S/N 12345678 on the back of the router")  # S/N as a serial number
# ---- mixed ---------------------------------------------------------------------------
add("Name: Jo, phone 07700 900100, email jo@example.com, postcode LS1 4AP",
    (P, "07700 900100"), (E, "jo@example.com"), (PC, "LS1 4AP"))
add(f"NHS {nhs('943476591')} / NI AB123456C", (NHS, nhs("943476591")), (NI, "AB123456C"))
add("from 10.1.2.3 user bob@example.org called +44 7700 900200",
    (IP, "10.1.2.3"), (E, "bob@example.org"), (P, "+44 7700 900200"))
add("I'm at BS1 6QF, ring 0117 496 0123", (PC, "BS1 6QF"), (P, "0117 496 0123"))
add(f"card {group4(luhn('411111111111111'))} and phone 07700 900300",
    (CARD, group4(luhn("411111111111111"))), (P, "07700 900300"))
add("Hi, it's Dave. 07700900400. Feeling rough tonight.", (P, "07700900400"))
add("write to me: dave@example.com or G1 1XQ", (E, "dave@example.com"), (PC, "G1 1XQ"))
# Hard cases added after the detector was written, kept to show its limits:
add("email me: jo dot bloggs at example dot com", (E, "jo dot bloggs at example dot com"))
add("my number is 07700 900 12 3", (P, "07700 900 12 3"))
add("ring 07700-900-100x after 6pm")
add("selling a PS4 2TB with 2 pads")
add("old MP3 4GB player, boxed")

# ---- negatives (no PII) -----------------------------------------------------------------
negatives = [
    "Order number 01234567890 has shipped",
    "Your order #07700900123 is on its way",
    "Invoice no. 0207 946 0018 attached",
    "ref: 01614960000",
    "Tracking number 0800 123 4567 updated",
    "Booking ref 01632960001 confirmed",
    "The meeting is on 2024-01-15 at 07:30",
    "Born 01/02/1980, discharged 15.06.2004",
    "It happened at 12:30:45 yesterday",
    "Appointment 10:00-11:30 on 03/04/2025",
    "Running version 1.2.3.4 of the app",
    "upgrade to v2.10.3 now",
    "release 10.0.19045.3803 installed",
    "build 4.18.0.240 failed",
    "It costs £1,234.56 in total",
    "Price $12.99 or 12,99 EUR",
    "sort code 20-00-00, account 12345678",
    "Sort code 40-47-84 please",
    "pay 12345678 with sort code 60-16-13",
    f"NHS-like {nhs_bad('943476591')} is not valid",
    f"reference {nhs_bad('401023213')} for your claim",
    f"patient id {spaced_nhs(nhs_bad('485777345'))}",
    f"case {nhs_bad('650201234')} closed",
    f"number {luhn_bad('411111111111111')} is not a card",
    f"try {group4(luhn_bad('555555555555444'))} again",
    f"account {luhn('711111111111111')} (not a card range)",
    f"membership {luhn('911111111111111')} renewed",
    "serial 1234-5678-9012-3456 on the box",
    "The ticket is 8472 9381 0012 4471",
    "room 101, floor 3, building 42",
    "I served 22 years, 3 tours",
    "Call of Duty 4 was released in 2007",
    "Temperature 37.5 degrees",
    "score was 3:1 at half time",
    "Regiment 1st Battalion, 2 RIFLES",
    "AB12 is not a full postcode",
    "The MOD 90 card is in my wallet",
    "I took 2 x 500mg tablets",
    "QQ 12 34 56 C is the HMRC example prefix",
    "code XY123 and part A1-B2",
    "he was in Afghanistan 2009-2011",
    "Total: 1234567 points",
    "the year 2023 was hard",
    "mac 00:1A:2B:3C:4D:5E on the router",
    "ratio 16:9 screen",
    "std::string and Foo::bar in code",
    "ISBN 978-0-306-40615-7 is a book",
    "Flight BA 0117 departs 07:45",
    "iPhone 15 Pro, 256 GB",
    "GB 123 4567 89 is a VAT number",
    "UK 12345 is a ferry",
    "see page 1234 5678 of the manual",
    "version 192.168.1.1 of the firmware",
    "the 5 o'clock news",
    "20240115 is a date stamp",
    "ID 0000000000 is a placeholder",
    "bank holiday 25/12/2024",
    "0.0.0.1.2 is not an address",
    "256.1.1.1 is out of range",
    "1.2.3 ",
    "user@localhost is not a full address",
    "@mention someone on the forum",
    "email me at home (no address yet)",
    "password reset sent",
    "PO Box 123 in town",
    "Unit 7, Estate Road",
    "we need 3-4 weeks",
    "Call 999 or 111 in an emergency",
    "Samaritans on 116 123 any time",
    "text SHOUT to 85258",
    "Combat Stress 0800 is all I remember",
    "room 0207 on level 2",
    "heart rate 072 bpm",
    "In 1982 I was in the Falklands",
    # service-number look-alikes: no cue, or a cue with something that is not one
    "Sgt Smith rang the helpline twice",
    "Cpl Jones, sort code 20-00-00, account 12345678",
    "order number 25012345 for the boots",
    "Sgt on 12/03/2019 at 14:30, Cpl at 0930hrs",
    "Pte pay was £1,250.00 a month",
    "Served with 1 PARA, then 3 RIFLES, 2nd Battalion",
    "16 Air Assault Brigade and 42 Commando",
    "Maj in 2003, Lt Col by 2010",
    "customer 24681357 called about the parcel",
    "product code B123456X is out of stock",
    "part no. D123456K for the boiler",
    "Gnr Evans, dates 2019-03-12 and 12.03.19",
    "RAF Brize Norton, 99 Squadron, 2012",
    "the 8 digit code 25012345 opens the gate",
    # 447 look-alikes
    "ISBN 4477009001234 is thirteen digits",
    "booking 447700900123 confirmed",
    "I was 44 7 years ago",
    # email look-alikes
    "user@[300.1.1.1] is not an address",
    "user@münchen has no domain suffix",
]
for text in negatives:
    add(text)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "redaction_labelled.jsonl"), "w", encoding="utf-8") as out:
        for row in rows:
            for p in row["pii"]:
                assert p["value"] in row["text"], row
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} lines")


if __name__ == "__main__":
    main()
