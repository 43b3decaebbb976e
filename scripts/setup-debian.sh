#!/usr/bin/env bash
# Installs the Debian packages mailmerge needs to build, test and convert letters to PDF
# (LibreOffice lays letters out, python3-uno keeps one LibreOffice running per print-run worker,
# qpdf joins the parts of a print run, poppler reads pages).
# postgresql: the tests of the PostgreSQL log and distributed runs start a throwaway server (initdb/pg_ctl).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    pkg-config libxml2-dev libzip-dev libdeflate-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev \
    libreoffice-writer-nogui python3-uno poppler-utils qpdf python3-docx \
    libzint-dev zbar-tools \
    postgresql
