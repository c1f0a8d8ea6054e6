"""Builds the realistic input files of script-bank.test.ts inside the runner image.

Run through the harness like a tool (run_tool writes every fixture into output_dir), so the test
needs nothing on the host but Docker. Names and addresses are invented; the shapes follow what
Swedish school systems export: a title row above the header, several guardian columns, two
addresses in one cell, Windows-1252 CSV with semicolons, percentages stored as fractions.
"""
import csv
import datetime
import io
import os
import zipfile

import docx
import openpyxl
from docx.shared import Pt, RGBColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

CLASS_7B = [
    # Förnamn, Efternamn, VH1 namn, VH1 e-post, VH2 namn, VH2 e-post, Elev e-post
    ("Alva", "Andersson", "Maria Andersson", "maria.andersson@exempel.se", "Johan Andersson", "johan.andersson@exempel.se"),
    ("Elias", "Berg", "Anna Berg", "Anna.Berg@Exempel.se", "", ""),
    ("Maja", "Berg", "Anna Berg", "anna.berg@exempel.se", "", ""),
    ("Noah", "Carlsson", "Sara och Peter Carlsson", "sara.carlsson@gmail.com; peter.carlsson@gmail.com", "", ""),
    ("Ella", "Dahl", "Per Dahl", "per.dahl@gmail", "Lena Dahl", "lena.dahl@telia.com"),
    ("Hugo", "Ek", "Lisa Ek", "lisa ek@skola.se", "", ""),
    ("Wilma", "Forsberg", "Karin Forsberg", "karin.forsberg@hotmail.con", "", ""),
    ("Liam", "Gustafsson", "", "", "", ""),
    ("Olivia", "Holm", "Erik Holm", "Erik Holm <erik.holm@exempel.se>", "", ""),
    ("Lucas", "Ibrahim", "Amira Ibrahim", "amira.ibrahim@exempel.se", "Yusuf Ibrahim", "yusuf.ibrahim@exempel.se"),
    ("Astrid", "Jönsson", "Jonas Jönsson", "  jonas.jonsson@exempel.se ", "Eva Jönsson", "mailto:eva.jonsson@exempel.se"),
    ("Oscar", "Lind", "Stina Lind", "stina.lind@exempel.se", "", ""),
]

CLASS_7C = [
    ("Saga Berg", "7C", "anna.berg@exempel.se", ""),
    ("Ali Hassan", "7C", "fatima.hassan@exempel.se", "omar.hassan@exempel.se"),
    ("Åsa Öberg", "7C", "gunnel.oberg@exempel.se", ""),
    ("Nils Ängström", "7C", "", ""),
]

# LIX fixture: 2 sentences in the heading-free body, counted by hand in the test.
LIX_TEXT = [
    "Elevhälsan arbetar förebyggande.",
    "Vi träffas varje vecka och planerar stödinsatser tillsammans med mentorerna.",
]


def _class_list_7b(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Klasslista"
    ws.append(["Klasslista 7B – Exempelskolan, läsår 2025/26"])
    ws.append([])
    ws.append(["Förnamn", "Efternamn", "Klass", "Vårdnadshavare 1", "Vårdnadshavare 1 e-post",
               "Vårdnadshavare 2", "Vårdnadshavare 2 e-post", "Elev e-post"])
    for first, last, g1, m1, g2, m2 in CLASS_7B:
        pupil_mail = "%s.%s@elev.exempelskolan.se" % (first.lower(), last.lower().replace("ö", "o"))
        ws.append([first, last, "7B", g1, m1, g2, m2, pupil_mail])
    wb.save(path)


def _class_list_7c(path):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Namn", "Klass", "Vårdnadshavare e-post", "Vårdnadshavare 2 e-post"])
    writer.writerows(CLASS_7C)
    with open(path, "wb") as handle:
        handle.write(buf.getvalue().encode("cp1252"))


def _attendance(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Närvaro och betyg"
    ws.append(["Elev", "Klass", "Ämne", "Närvaro", "Betyg"])
    data = {
        "Alva Andersson": [("Svenska", 0.98, "A"), ("Matematik", 0.95, "B"), ("Engelska", 0.97, "A"), ("Idrott och hälsa", 0.92, "C")],
        "Elias Berg": [("Svenska", 0.70, "E"), ("Matematik", 0.65, "F"), ("Engelska", 0.75, "E"), ("Idrott och hälsa", 0.60, "F")],
        "Maja Berg": [("Svenska", 0.90, "C"), ("Matematik", 0.88, "C"), ("Engelska", 0.91, "B"), ("Idrott och hälsa", 0.95, "A")],
        "Noah Carlsson": [("Svenska", 0.82, "D"), ("Matematik", 0.78, "E"), ("Engelska", 0.80, "D"), ("Idrott och hälsa", 0.76, "E")],
        "Ella Dahl": [("Svenska", 0.99, "B"), ("Matematik", 1.0, "A"), ("Engelska", 0.96, "B"), ("Idrott och hälsa", 0.97, "-")],
    }
    for pupil, rows in data.items():
        for subject, attendance, grade in rows:
            ws.append([pupil, "7B", subject, attendance, grade])
            ws.cell(row=ws.max_row, column=4).number_format = "0%"
    wb.save(path)


def _lix_docx(path):
    document = docx.Document()
    document.add_heading("Elevhälsoplan", level=1)
    for paragraph in LIX_TEXT:
        document.add_paragraph(paragraph)
    document.save(path)


def _lix_pdf(path):
    pdf = canvas.Canvas(path, pagesize=A4)
    pdfmetrics.registerFont(TTFont("Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    pdf.setFont("Sans", 12)
    y = 780
    for line in LIX_TEXT:
        pdf.drawString(72, y, line)
        y -= 20
    pdf.showPage()
    pdf.setFont("Sans", 12)
    pdf.drawString(72, 780, "Kontakta skolsköterskan vid behov.")
    pdf.save()


def _image_only_pdf(path):
    """What a scanner makes: a page with graphics and no text layer."""
    pdf = canvas.Canvas(path, pagesize=A4)
    pdf.rect(72, 600, 300, 150, fill=1)
    pdf.save()


def _reference_docx(path):
    document = docx.Document()
    heading = document.styles["Heading 1"]
    heading.font.name = "Liberation Serif"
    heading.font.size = Pt(26)
    heading.font.color.rgb = RGBColor(0x1F, 0x5C, 0x99)
    document.save(path)


WIDE_GRADES = (
    "Elev;Klass;Svenska;Matematik;Engelska;Frånvaro totalt (%)\r\n"
    "Saga Berg;7C;C;D;B;4,5\r\n"
    "Ali Hassan;7C;E;F;-;23\r\n"
    "Åsa Öberg;7C;A;A;A;0\r\n"
)

MARKDOWN = """# Veckobrev vecka 12

Hej vårdnadshavare! Här kommer **veckans** information från klass 7B.

## Att ta med

- Idrottskläder på tisdag
- Matsäck till utflykten
- Påskrivet utvecklingssamtalsformulär

## Schema

| Dag | Aktivitet | Tid |
|-----|-----------|-----|
| Måndag | Utflykt till Naturum | 08.30–14.00 |
| Onsdag | Prov i matematik | 10.00 |

1. Läs kapitel 4
2. Öva glosor
"""

HTML = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Inbjudan</title>
<style>body { font-family: 'DejaVu Sans', sans-serif; } h1 { color: #1f5c99; } .sida2 { page-break-before: always; }</style>
<script>alert("körs inte")</script>
</head><body>
<h1>Inbjudan till föräldramöte</h1>
<p>Välkomna till föräldramöte i klass 7B, torsdag 14 mars kl. 18.00 i aulan.</p>
<table><tr><th>Tid</th><th>Punkt</th></tr><tr><td>18.00</td><td>Välkomna och fika</td></tr></table>
<p class="sida2">Svarstalong: lämnas till mentor senast fredag.</p>
</body></html>
"""


def _conversion_inputs(output_dir):
    rows = [
        ["Namn", "Klass", "Postnummer", "Telefon", "Poäng", "Kommentar"],
        ["Åsa Öberg", "7C", "012 34", "0701234567", "12,5", "Bra jobbat; fortsätt så"],
        ["Nils Ängström", "7C", "123 45", "0709876543", "8", "Övar på \"långa\" ord"],
        ["Émile Çelik", "7C", "543 21", "0731112233", "10,25", ""],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    with open(os.path.join(output_dir, "elever-cp1252.csv"), "wb") as handle:
        handle.write(buf.getvalue().encode("cp1252"))
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\n").writerows(rows[:3])
    with open(os.path.join(output_dir, "elever-tabb.txt"), "wb") as handle:
        handle.write(buf.getvalue().encode("utf-8-sig"))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Betyg HT"
    ws.append(["Elev", "Ämne", "Betyg", "Datum", "Poäng"])
    ws.append(["Åsa Öberg", "Svenska", "B", datetime.date(2025, 12, 19), 17.5])
    ws.append(["Nils Ängström", "Matematik", "C", datetime.date(2025, 12, 19), 15])
    ws2 = wb.create_sheet("Betyg VT")
    ws2.append(["Elev", "Ämne", "Betyg"])
    ws2.append(["Åsa Öberg", "Engelska", "A"])
    wb.create_sheet("Tom flik")
    wb.save(os.path.join(output_dir, "betyg.xlsx"))


def run_tool(input_dir, output_dir):
    _class_list_7b(os.path.join(output_dir, "klasslista-7b.xlsx"))
    _class_list_7c(os.path.join(output_dir, "klasslista-7c.csv"))
    _attendance(os.path.join(output_dir, "narvaro-betyg.xlsx"))
    _lix_docx(os.path.join(output_dir, "elevhalsoplan.docx"))
    _lix_pdf(os.path.join(output_dir, "elevhalsoplan.pdf"))
    _reference_docx(os.path.join(output_dir, "mall.docx"))
    with open(os.path.join(output_dir, "veckobrev.md"), "w", encoding="utf-8") as handle:
        handle.write(MARKDOWN)
    with open(os.path.join(output_dir, "inbjudan.html"), "w", encoding="utf-8") as handle:
        handle.write(HTML)
    _conversion_inputs(output_dir)
    with open(os.path.join(output_dir, "tom.csv"), "wb") as handle:
        handle.write(b"")
    with open(os.path.join(output_dir, "betyg-bred.csv"), "w", encoding="utf-8", newline="") as handle:
        handle.write(WIDE_GRADES)
    with open(os.path.join(output_dir, "utan-namn.csv"), "w", encoding="utf-8", newline="") as handle:
        handle.write("Klass;Sal\r\n7B;A12\r\n7C;B04\r\n")
    _image_only_pdf(os.path.join(output_dir, "inskannad.pdf"))
    with zipfile.ZipFile(os.path.join(output_dir, "trasig-mall.docx"), "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")  # a Word folder, but no styles
    return {"outputs": [{"kind": "notice", "level": "info", "message": "fixtures written"}]}
