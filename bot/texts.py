"""Every user-facing string of the bot's frame, Indonesian and English, in one place.

Article text is never translated here: only the words around it. Admin strings exist in Indonesian only
(`text` falls back to it); a worker's strings exist in both languages.
"""

from __future__ import annotations

_UNSURE_ID = (
    "Maaf, saya belum punya informasi yang cukup pasti untuk menjawab itu. Saya hanya menjawab soal kerja "
    "di Jepang (SSW/Tokutei Ginou, magang, pelatihan BPVP) dari artikel yang sudah diperiksa, dan lebih "
    "baik diam daripada menebak."
)
_UNSURE_EN = (
    "Sorry, I don't have information certain enough to answer that. I only answer questions about working "
    "in Japan (SSW/Tokutei Ginou, internships, BPVP training) from checked articles, and I would rather "
    "say so than guess."
)

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "sources": "Sumber",
        "as_of": "per {date}",
        "checked_long_ago": "diperiksa pada {date}, cek sumber resminya",
        "understood_as": "(saya pahami: tentang {concepts})",
        "decline_coverage": _UNSURE_ID,
        "decline_scope": _UNSURE_ID,
        "decline_elsewhere": (
            "Maaf, saya hanya tahu soal kerja dan magang di Jepang. Untuk negara lain, tanyakan ke saluran resmi "
            "pemerintah untuk pekerja migran."
        ),
        "decline_harmful": (
            "Maaf, saya tidak bisa membantu hal itu. Cara yang tidak resmi bisa membuat Anda ditipu, dideportasi, "
            "atau dipenjara. Saya senang membantu lewat jalur yang resmi dan aman."
        ),
        "decline_empty": "Silakan tulis pertanyaan Anda dengan kata-kata, misalnya: syarat SSW apa saja?",
        "ask_here": "Silakan tanya ke saluran resmi ini:",
        "topics_hint": "Coba tanya soal SSW (Tokutei Ginou), magang ke Jepang, atau pelatihan BPVP, atau pilih /topik.",
        "welcome": (
            "Halo! Saya <b>Tanya Jepang</b>. Saya menjawab pertanyaan soal kerja di Jepang: SSW (Tokutei Ginou), "
            "magang (TITP, IM Japan, Ikusei Shūrō) dan pelatihan di BPVP (dulu BLK).\n\n"
            "Jawaban saya diambil dari artikel yang sudah diperiksa, selalu dengan sumber dan tanggalnya. Saya bukan "
            "agen dan tidak bisa mendaftarkan Anda; kalau saya tidak tahu, saya bilang dan tunjukkan tempat bertanya."
            "\n\nTulis pertanyaan Anda, atau pilih topik:"
        ),
        "help": (
            "Cukup tulis pertanyaan, misalnya <i>syarat magang jepang apa aja?</i>\n\n"
            "/topik — pilih topik\n/sumber — isi basis pengetahuan dan tanggalnya\n"
            "/hapus — hapus semua data Anda yang tersimpan\n\n"
            "Di grup, sebut saya (@nama_bot) atau balas pesan saya."
        ),
        "choose_topic": "Pilih topik:",
        "not_ready": "Basis pengetahuan belum siap. Coba lagi sebentar lagi.",
        "sources_header": "Saya menjawab dari {articles} artikel ({passages} bagian):",
        "text_only": "Maaf, saya hanya bisa membaca pesan teks. Silakan tulis pertanyaan Anda. 🙏",
        "thanks": "Terima kasih atas penilaiannya!",
        "forgotten": "Semua data Anda yang tersimpan di bot ini sudah dihapus ({rows} catatan).",
        "gone": "Maaf, pertanyaan itu sudah tidak tersedia. Silakan tulis pertanyaan Anda.",
        "sorry": "Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi.",
        "slow_down": "Pelan-pelan ya 🙏 Saya menjawab satu per satu. Tunggu sebentar, lalu kirim pertanyaan berikutnya.",
        "unknown_command": "Perintah itu tidak saya kenal. Lihat /help, atau langsung tulis pertanyaan Anda.",
        "console_welcome": (
            "Tanya Jepang — tanya apa saja soal kerja di Jepang (SSW/Tokutei Ginou, magang, pelatihan BPVP).\n"
            "Ketik pertanyaan lalu Enter. Keluar: /keluar atau Ctrl-D."
        ),
        # admins
        "refused": "Maaf, perintah ini hanya untuk admin Tanya Jepang.",
        "reloading": "⏳ Memuat ulang basis pengetahuan…",
        "reload_running": "Pemuatan ulang sedang berjalan; tunggu sampai selesai lalu coba lagi.",
        "reload_invalid": "❌ Ada artikel yang tidak valid. Indeks lama tetap dipakai.",
        "reload_done": "✅ Basis pengetahuan dimuat ulang dalam {seconds:.1f} detik.",
        "reload_counts": "Artikel: {articles}, bagian: {passages}, di-embed ulang: {embedded}.",
        "reload_added": "Baru",
        "reload_changed": "Berubah",
        "reload_removed": "Dihapus",
        "reload_conflicts": "⚠️ Fakta kunci yang ditulis berbeda dari facts.yaml (tetap dimuat; perbaiki artikelnya):",
        "upload_bad_name": ("Kirim artikel .md atau teks berita .txt dengan nama berkas biasa (tanpa folder), "
                            "misalnya ssw-bidang-baru.md."),
        "upload_too_big": "Berkas terlalu besar ({size} byte; paling besar {limit}).",
        "upload_reserved_name": ("README.md adalah keterangan folder, bukan artikel, dan tidak akan dimuat. Beri "
                                 "artikel nama sendiri, misalnya ssw-bidang-baru.md."),
        "upload_not_utf8": "berkas harus teks UTF-8",
        "upload_too_slow": ("berkas ini tidak selesai diperiksa dalam {seconds} detik: teksnya terlalu berat untuk "
                            "diproses (baris yang sangat panjang, atau deretan tanda baca?)"),
        "upload_check_failed": "berkas ini tidak bisa diperiksa (lihat log bot)",
        "upload_rejected": "❌ {name} tidak ditambahkan:",
        "upload_exists": ("📄 {name} sudah ada dan tidak diubah. Untuk menggantinya, kirim berkas itu lagi dengan "
                          "keterangan (caption) <b>ganti</b>; versi lama disimpan sebagai cadangan."),
        "upload_saved": "📄 {name} disimpan. ⏳ Memuat ulang…",
        "upload_replaced": "📄 {name} diganti; versi lama disimpan sebagai {backup}. ⏳ Memuat ulang…",
        "more_problems": "… dan {count} masalah lain",
        "admin_private_only": "Perintah admin hanya berlaku di chat pribadi dengan bot.",
        "journal_failures": "⚠️ Gagal mencatat ke jurnal sejak bot dimulai: {count} kali (lihat log bot).",
        "stats": ("📊 {days} hari terakhir\nPengguna: {users}\nPertanyaan: {questions} "
                  "(terjawab {answered}, ditolak {declined}; {share} terjawab)\n"
                  "👍 {up} · 👎 {down}\nTopik teratas: {topics}"),
    },
    "en": {
        "sources": "Sources",
        "as_of": "as of {date}",
        "checked_long_ago": "checked on {date}; check the official source",
        "understood_as": "(as I understand it: about {concepts})",
        "decline_coverage": _UNSURE_EN,
        "decline_scope": _UNSURE_EN,
        "decline_elsewhere": (
            "Sorry, I only know about working and internships in Japan. For other countries, please ask the "
            "government's official channels for migrant workers."
        ),
        "decline_harmful": (
            "Sorry, I can't help with that. Unofficial ways can get you cheated, deported or jailed. I'm glad to "
            "help with the official, safe routes."
        ),
        "decline_empty": "Please write your question in words, for example: what are the SSW requirements?",
        "ask_here": "Please ask an official channel:",
        "topics_hint": "Try asking about SSW (Tokutei Ginou), internships in Japan or BPVP training, or see /topik.",
        "welcome": (
            "Hello! I am <b>Tanya Jepang</b>. I answer questions about working in Japan: SSW (Tokutei Ginou), "
            "internships (TITP, IM Japan, Ikusei Shūrō) and training at BPVP centres (formerly BLK).\n\n"
            "My answers come from checked articles, always with their sources and dates. I am not an agent and "
            "cannot register you; when I don't know, I say so and tell you where to ask.\n\n"
            "Write your question, or choose a topic:"
        ),
        "help": (
            "Just write a question, for example <i>what are the requirements for SSW?</i>\n\n"
            "/topik — choose a topic\n/sumber — what the knowledge base holds and how current it is\n"
            "/hapus — erase everything stored about you\n\n"
            "In a group, mention me (@bot_name) or reply to my message."
        ),
        "choose_topic": "Choose a topic:",
        "not_ready": "The knowledge base is not ready yet. Please try again shortly.",
        "sources_header": "I answer from {articles} articles ({passages} sections):",
        "text_only": "Sorry, I can only read text messages. Please write your question. 🙏",
        "thanks": "Thank you for your rating!",
        "forgotten": "Everything this bot stored about you has been erased ({rows} records).",
        "gone": "Sorry, that question is no longer available. Please write your question.",
        "sorry": "Sorry, something went wrong. Please try again shortly.",
        "slow_down": "Slowly please 🙏 I answer one by one. Wait a moment, then send your next question.",
        "unknown_command": "I don't know that command. See /help, or just write your question.",
        "console_welcome": (
            "Tanya Jepang — ask anything about working in Japan (SSW/Tokutei Ginou, internships, BPVP training).\n"
            "Type a question and press Enter. To leave: /exit or Ctrl-D."
        ),
    },
}


def text(lang: str, key: str) -> str:
    """The string for a language; unknown languages and keys fall back to Indonesian, our users' language."""
    return TEXTS.get(lang, TEXTS["id"]).get(key) or TEXTS["id"][key]
