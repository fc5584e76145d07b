"""The pipeline's stages, one module each, in the order a build runs them:

    scan      the sources a feed names now (files stat()ed once, urls as they are)
    gather    per source: the ledger's records when nothing changed, else read and reduced
    identify  the ledger's matching and minting: ids, first-seen times, gone sources retired
    assemble  merge duplicates, order newest first, limit, finish each entry
    history   which document holds each entry (RFC 5005 archives) and which deletions to announce
    render    emit each document and validate it
    commit    stage the documents, record the build in the ledger, rename them into place

build.py runs them all with a ledger; export.py runs identify to render with none. results.py
holds what a build reports.
"""
