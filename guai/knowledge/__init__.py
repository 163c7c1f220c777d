"""Knowledge base: 법령·자치법규·지침·내부 문서 ingest, structure-aware chunks with exact citations, search, answers.

Stable service API for other features (the web page, the CLI, the chat tool, the citizen chatbot and document
drafting all call these; none of them touches the index directly):

    from guai.knowledge.search import search, SearchHit
    hits = search(db, "킥보드 헬멧 안 쓰면 벌금", user=user, top=5)          # staff: public + staff + own department
    hits = search(db, "대형폐기물 버리는 방법", public_only=True)              # citizen chatbot: public collections only
    hits = search(db, "주차", user=user, collections=["가온구 자치법규"])      # restrict to named collections
    hit.citation   # "도로교통법 제50조제4항" — exact, ready to quote
    hit.title, hit.doc_title, hit.collection, hit.score, hit.text, hit.source, hit.snippet, hit.snippet_html,
    hit.chunk_id, hit.url  # url = "/search/article/<chunk_id>" shows the whole 조

    from guai.knowledge.answer import answer, Answer
    ans = answer(db, "킥보드 헬멧 안 쓰면 벌금 내나요?", user=user)          # model when configured, else extractive
    ans.text, ans.found (False = no basis found), ans.mode ("extractive" | "model"), ans.sentences (each with
    .text and .citation), ans.hits, ans.flagged (model claims whose citation was not among the sources)

    from guai.knowledge.ingest import ingest_paths, ingest_bytes      # files/folders, or one web upload
    from guai.knowledge.collections import list_collections, remove_collection, parse_visibility
    from guai.knowledge.extract import extract_bytes, ExtractError      # shared text extraction per format

The chat exposes search() as its `law_search` tool (guai/assistants/tools.py).

Visibility: "public" (everyone incl. citizens), "staff" (any logged-in employee), "department:NAME" (only that
department's staff). `search(user=None)` without `public_only` is the operator's CLI view: public + staff.
A department's private chunks are never returned to anyone outside that department, by any route.
"""
