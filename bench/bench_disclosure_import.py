"""Time to import a 5,000-row .xlsx (read, check every row, insert) into a finance draft.

Run from the repository root:  python bench/bench_disclosure_import.py
Goal (issue 4): under 5 s.
"""
import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench")


def workbook(rows: int) -> bytes:
    """A realistic sheet: date cells, numbers and text amounts, the template's headers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "收支", "金额(元)", "类别", "摘要", "对方", "凭证号"])
    for i in range(rows):
        amount = (i * 37) % 90000 + 1.25 if i % 2 else f"{(i * 13) % 9000 + 1:,}.50元"
        sheet.append([date(2026, 10, 1) + timedelta(days=i % 28), "支出" if i % 4 else "收入", amount,
                      ("办公费", "工程款", "劳务费", "其他")[i % 4], f"购入办公用品第{i}批", "镇文具店", f"记-{i:05d}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main():
    """Print the numbers."""
    from app import create_app
    from extensions import db

    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    data = workbook(5000)
    print(f"5000-row workbook: {len(data) / 1024:.0f} KB")
    with app.app_context():
        db.create_all()
        from accounts.cli import run_seeders
        from accounts.authz import village_by_slug
        from disclosure.importing import import_lines, read_upload
        from disclosure.publishing import create_disclosure

        run_seeders()
        draft = create_disclosure(village_by_slug("hexi"), None, {
            "category": "finance", "mode": "periodic", "period": "2030-01", "title": "基准测试"})
        db.session.commit()
        start = time.perf_counter()
        rows = read_upload("bench.xlsx", data)
        read = time.perf_counter() - start
        count = import_lines(draft, None, "bench.xlsx", data)
        db.session.commit()
        total = time.perf_counter() - start - read
        print(f"read only: {read:.2f} s; full import (read, check, insert, commit): {total:.2f} s "
              f"for {count} rows (goal < 5 s)")
        assert count == len(rows) == 5000


if __name__ == "__main__":
    main()
