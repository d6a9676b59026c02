"""Every user-facing string of the bot's frame, Indonesian and English, in one place.

Article text is never translated here: only the words around it.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "sources": "Sumber",
        "as_of": "per",
        "decline_unsure": (
            "Maaf, saya belum punya informasi yang cukup pasti untuk menjawab itu. Saya hanya menjawab soal kerja "
            "di Jepang (SSW/Tokutei Ginou, magang, pelatihan BPVP) dari artikel yang sudah diperiksa, dan lebih "
            "baik diam daripada menebak."
        ),
        "decline_elsewhere": (
            "Maaf, saya hanya tahu soal kerja dan magang di Jepang. Untuk negara lain, tanyakan ke saluran resmi "
            "pemerintah untuk pekerja migran."
        ),
        "decline_harmful": (
            "Maaf, saya tidak bisa membantu hal itu. Cara yang tidak resmi bisa membuat Anda ditipu, dideportasi, "
            "atau dipenjara. Saya senang membantu lewat jalur yang resmi dan aman."
        ),
        "ask_here": "Silakan tanya ke saluran resmi ini:",
        "no_index": "Basis pengetahuan belum siap. Coba lagi sebentar lagi.",
        "related": "Pertanyaan terkait",
        "topics_hint": "Coba tanya soal SSW (Tokutei Ginou), magang ke Jepang, atau pelatihan BPVP, atau pilih /topik.",
        "check_official": "Selalu cek ulang ke sumber resmi sebelum membayar atau menandatangani apa pun.",
    },
    "en": {
        "sources": "Sources",
        "as_of": "as of",
        "decline_unsure": (
            "Sorry, I don't have information certain enough to answer that. I only answer questions about working "
            "in Japan (SSW/Tokutei Ginou, internships, BPVP training) from checked articles, and I would rather "
            "say so than guess."
        ),
        "decline_elsewhere": (
            "Sorry, I only know about working and internships in Japan. For other countries, please ask the "
            "government's official channels for migrant workers."
        ),
        "decline_harmful": (
            "Sorry, I can't help with that. Unofficial ways can get you cheated, deported or jailed. I'm glad to "
            "help with the official, safe routes."
        ),
        "ask_here": "Please ask an official channel:",
        "no_index": "The knowledge base is not ready yet. Please try again shortly.",
        "related": "Related questions",
        "topics_hint": "Try asking about SSW (Tokutei Ginou), internships in Japan or BPVP training, or see /topik.",
        "check_official": "Always double-check with an official source before you pay or sign anything.",
    },
}


def text(lang: str, key: str) -> str:
    """The string for a language; unknown languages fall back to Indonesian, our users' language."""
    return TEXTS.get(lang, TEXTS["id"])[key]
