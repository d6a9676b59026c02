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
        "other_language_source": "(Sebagian jawaban ini dikutip dari artikel kami dalam bahasa Inggris.)",
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
        "decline_task": (
            "Maaf, saya tidak bisa menerjemahkan teks atau mengerjakan tugas. Saya menjawab pertanyaan soal kerja dan "
            "magang di Jepang, misalnya: syarat SSW apa saja?"
        ),
        "decline_empty": "Silakan tulis pertanyaan Anda dengan kata-kata, misalnya: syarat SSW apa saja?",
        "ask_here": "Silakan tanya ke saluran resmi ini:",
        "topics_hint": "Coba tanya soal SSW (Tokutei Ginou), magang ke Jepang, atau pelatihan BPVP, atau pilih /topik.",
        "welcome": (
            "Halo! Saya <b>Tanya Jepang</b>. Saya menjawab pertanyaan soal kerja di Jepang: SSW (Tokutei Ginou), "
            "magang (TITP, IM Japan, Ikusei Shūrō) dan pelatihan di BPVP (dulu BLK).\n\n"
            "Jawaban saya diambil dari artikel yang sudah diperiksa, selalu dengan sumber dan tanggalnya. Saya bukan "
            "agen dan tidak bisa mendaftarkan Anda; kalau saya tidak tahu, saya bilang dan tunjukkan tempat bertanya."
            "\n\nTulis pertanyaan Anda, pilih topik, atau cari jalur yang cocok untuk Anda:"
        ),
        "help": (
            "Cukup tulis pertanyaan, misalnya <i>syarat SSW apa aja?</i> Pertanyaan lanjutan juga boleh, misalnya "
            "<i>kalau kaigo?</i>: saya ingat pertanyaan Anda sebelumnya selama 30 menit.\n\n"
            "/jalur — cari jalur ke Jepang yang cocok untuk Anda\n/topik — pilih topik\n"
            "/sumber — isi basis pengetahuan dan tanggalnya\n/bahasa — ganti bahasa (Indonesia/English)\n"
            "/hapus — hapus semua data Anda yang tersimpan\n/start — mulai dari awal\n\n"
            "Di grup, sebut saya (@nama_bot) atau balas pesan saya."
        ),
        "choose_topic": "Pilih topik:",
        "not_ready": "Basis pengetahuan belum siap. Coba lagi sebentar lagi.",
        "sources_header": "Saya menjawab dari {articles} artikel ({passages} bagian):",
        "text_only": "Maaf, saya hanya bisa membaca pesan teks. Silakan tulis pertanyaan Anda. 🙏",
        "thanks": "Terima kasih atas penilaiannya!",
        "forgotten": ("Semua data Anda yang tersimpan di bot ini sudah dihapus ({rows} catatan), termasuk "
                      "percakapan yang sedang berjalan."),
        "gone": "Maaf, pertanyaan itu sudah tidak tersedia. Silakan tulis pertanyaan Anda.",
        "sorry": "Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi.",
        "slow_down": "Pelan-pelan ya 🙏 Saya menjawab satu per satu. Tunggu sebentar, lalu kirim pertanyaan berikutnya.",
        "unknown_command": "Perintah itu tidak saya kenal. Lihat /help, atau langsung tulis pertanyaan Anda.",
        "console_welcome": (
            "Tanya Jepang — tanya apa saja soal kerja di Jepang (SSW/Tokutei Ginou, magang, pelatihan BPVP).\n"
            "Ketik pertanyaan lalu Enter. Keluar: /keluar atau Ctrl-D."
        ),
        # commands, as Telegram lists them
        "cmd_start": "Mulai dan pilih topik",
        "cmd_jalur": "Cari jalur ke Jepang yang cocok",
        "cmd_topik": "Topik yang bisa ditanyakan",
        "cmd_sumber": "Isi basis pengetahuan dan tanggalnya",
        "cmd_bahasa": "Ganti bahasa (Indonesia/English)",
        "cmd_help": "Cara memakai bot",
        "cmd_hapus": "Hapus semua data saya",
        # topic buttons: the label, and the question a press asks
        "topic_ssw": "SSW / Tokutei Ginou",
        "topic_ssw_question": "Apa itu SSW (Tokutei Ginou) dan apa syaratnya?",
        "topic_magang": "Magang",
        "topic_magang_question": "Apa itu program magang ke Jepang (TITP) dan bagaimana cara ikut?",
        "topic_bpvp": "Pelatihan BPVP",
        "topic_bpvp_question": "Apa itu BPVP dan bagaimana cara daftar pelatihannya?",
        "topic_safety": "Tips aman & anti penipuan",
        "topic_safety_question": "Apa tanda-tanda penipuan kerja ke Jepang?",
        # language
        "language_choose": "Pilih bahasa / Choose a language:",
        "language_set": "Baik, saya akan memakai Bahasa Indonesia.",
        "language_id": "Bahasa Indonesia",
        "language_en": "English",
        # the route finder (/jalur)
        "route_button": "🧭 Cari jalur yang cocok",
        "route_title": "🧭 <b>Cari jalur ke Jepang</b>",
        "route_step": "({step}/{steps})",
        "route_q_age": "Berapa umur Anda sekarang?",
        "route_q_education": "Apa pendidikan terakhir Anda?",
        "route_q_japanese": "Sertifikat bahasa Jepang apa yang sudah Anda punya?",
        "route_q_field": "Bidang kerja apa yang Anda minati?",
        "route_q_magang": "Apakah Anda pernah magang di Jepang?",
        "route_q_budget": "Berapa dana yang bisa Anda siapkan untuk berangkat?",
        "route_age_under-18": "Di bawah 18 tahun",
        "route_age_18-26": "18–26 tahun",
        "route_age_27-35": "27–35 tahun",
        "route_age_36-plus": "36 tahun ke atas",
        "route_education_smp": "SMP atau kurang",
        "route_education_sma": "SMA / MA",
        "route_education_smk": "SMK",
        "route_education_d3-nursing": "D3+ Keperawatan",
        "route_education_diploma": "D3+ jurusan lain",
        "route_japanese_none": "Belum punya",
        "route_japanese_n5": "N5 / JFT-Basic A1",
        "route_japanese_n4": "N4 / JFT-Basic A2",
        "route_japanese_n3": "N3 atau lebih",
        "route_field_kaigo": "Perawat / kaigo",
        "route_field_factory": "Pabrik / manufaktur",
        "route_field_construction": "Konstruksi",
        "route_field_farming": "Pertanian / perikanan",
        "route_field_food": "Makanan / restoran",
        "route_field_transport": "Sopir / transportasi",
        "route_field_other": "Lainnya / belum tahu",
        "route_magang_never": "Belum pernah",
        "route_magang_completed": "Ya, selesai tahap 2 (±3 tahun)",
        "route_magang_partial": "Ya, tapi tidak selesai",
        "route_budget_under-5": "Di bawah Rp5 juta",
        "route_budget_5-15": "Rp5–15 juta",
        "route_budget_15-35": "Rp15–35 juta",
        "route_budget_35-plus": "Rp35 juta ke atas",
        "route_cancel": "✖️ Berhenti",
        "route_cancelled": "Pencarian jalur dihentikan. Ketik /jalur kapan saja untuk mulai lagi.",
        "route_again": "🔁 Cari lagi",
        "route_not_yours": "Tombol ini milik orang lain. Ketik /jalur untuk mencari jalur Anda sendiri.",
        "route_result_title": "🧭 <b>Jalur ke Jepang untuk Anda</b>",
        "route_fits": "✅ Cocok untuk Anda",
        "route_after": "🔜 Bisa, setelah Anda memenuhi syaratnya",
        "route_no": "❌ Tidak cocok untuk Anda sekarang",
        "route_need_check": "Pastikan",
        "route_need_after": "Perlu dulu",
        "route_need_no": "Karena",
        "route_disclaimer": ("Ini panduan awal dari artikel kami, bukan keputusan resmi; syarat bisa berubah, jadi cek "
                             "tautan resminya."),
        "route_checked": "Fakta diperiksa per {date}.",
        "route_unavailable": "Maaf, pencari jalur sedang tidak tersedia. Silakan tulis pertanyaan Anda.",
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
        "stats_per_1": "Per hari:",
        "stats_per_7": "Per minggu (mulai tanggal):",
        "stats_per_30": "Per 30 hari (mulai tanggal):",
        "stats_row": "{day}: {questions} (terjawab {answered}, ditolak {declined}) 👍 {up} 👎 {down}",
        "stats_chart_caption": "Grafik pertanyaan dan penilaian",
        "stats_chart_title_1": "Pertanyaan per hari, {days} hari terakhir",
        "stats_chart_title_7": "Pertanyaan per minggu, {days} hari terakhir",
        "stats_chart_title_30": "Pertanyaan per 30 hari, {days} hari terakhir",
        "stats_answered": "terjawab",
        "stats_declined": "ditolak",
        "stats_up": "suka (jempol naik)",
        "stats_down": "tidak suka (jempol turun)",
        # /gaps
        "gaps_none": "🎉 Tidak ada pertanyaan yang ditolak atau dinilai 👎 dalam {days} hari terakhir yang belum ditangani.",
        "gaps_header": ("🕳 <b>{gaps} celah</b> dari {questions} pertanyaan yang ditolak atau dinilai 👎 ({days} hari "
                        "terakhir), terbesar dulu."),
        "gap_title": "<b>Celah {number}/{total}</b> (#{gap}) · {count} pertanyaan",
        "gap_emptied": "Pertanyaan celah ini sudah terhapus (masa simpan atau /hapus).",
        "gap_reasons": "Sebab: {reasons}",
        "gap_reason_coverage": "tak ada artikel yang cukup membahasnya",
        "gap_reason_scope": "dianggap di luar urusan bot (model cakupan)",
        "gap_reason_harmful": "aturan: minta bantuan curang",
        "gap_reason_elsewhere": "aturan: negara lain",
        "gap_reason_task": "aturan: minta terjemahan atau tugas",
        "gap_reason_thumbs_down": "dijawab tapi dinilai 👎",
        "gap_reason_unrecorded": "ditolak (sebabnya belum dicatat waktu itu)",
        "gap_no_passage": "Bagian terdekat: tidak ada.",
        "gap_passage_gone": "Bagian terdekat: sudah tidak ada di indeks (artikelnya berubah).",
        "gap_passage": "Bagian terdekat: <b>{section}</b> — {title} (mencakup {coverage} pertanyaan)",
        "gap_decided": "➡️ {state} {who}",
        "gap_by_you": "oleh Anda",
        "gap_by_other": "oleh admin lain",
        "gap_state_handled": "✅ Sudah ditandai ditangani",
        "gap_state_ignored": "🙈 Sudah diabaikan",
        "gap_state_in_scope": "➕ Sudah diajarkan sebagai urusan kita",
        "gap_state_out_of_scope": "➖ Sudah diajarkan sebagai bukan urusan kita",
        "gap_state_article": "📝 Sudah dijawab dengan artikel",
        "gap_done": "✅ Sudah ditangani",
        "gap_ignore": "🙈 Abaikan",
        "gap_ours": "➕ Ini urusan kita",
        "gap_notours": "➖ Bukan urusan kita",
        "gap_write": "📝 Tulis artikel untuk ini",
        "gap_missing": "Celah ini tidak ditemukan lagi (pertanyaannya sudah terhapus). Kirim /gaps untuk daftar baru.",
        "gap_already": "Celah ini sudah ditangani: {state} {who}. Kirim /gaps untuk daftar terbaru.",
        "gap_scope_failed": "❌ Contoh tidak bisa ditambahkan ke scope.yaml, celah tetap terbuka: {reason}",
        "gap_scope_known": "Semua kalimat celah ini sudah ada di scope.yaml; tidak ada yang berubah.",
        "gap_scope_in_scope": ("➕ {count} kalimat ditambahkan ke scope.yaml sebagai urusan kita (in_scope). ⏳ Memuat "
                               "ulang; model cakupan dilatih ulang…"),
        "gap_scope_out_of_scope": ("➖ {count} kalimat ditambahkan ke scope.yaml sebagai bukan urusan kita "
                                   "(out_of_scope). ⏳ Memuat ulang; model cakupan dilatih ulang…"),
        "gap_prompt_mark": "📝 Artikel untuk celah",
        "gap_prompt": ("{mark} #{gap} («{example}»)\nBalas (reply) pesan ini dengan bagian Markdown: baris pertama "
                       "judul bagian <code>## …</code> (pertanyaan seperti yang ditanyakan pekerja), lalu isinya, lalu "
                       "<code>Sumber: https://…</code>. Boleh juga <code>topik: ssw, magang</code>, artikel lengkap "
                       "dengan front matter, atau berkas .md/.txt."),
        "section_not_section": ("❌ Balasan ini bukan bagian artikel: mulailah dengan judul bagian <code>## …</code> "
                                "di baris pertama, lalu isinya di baris berikutnya. Celah tetap terbuka."),
        "section_no_source": ("❌ Tambahkan tautan sumber resmi, misalnya <code>Sumber: https://…</code>: setiap "
                              "jawaban bot menyebut sumbernya. Celah tetap terbuka."),
        "gap_article_not_added": "Tulisan Anda tidak ditambahkan; kirim sebagai berkas bila tetap perlu.",
        "gap_still_open": "Celah #{gap} tetap terbuka; balas lagi pesan permintaan artikelnya setelah diperbaiki.",
        # /stale, /artikel, /hapus_artikel, /rollback
        "stale_none": "✅ Tidak ada artikel yang diperiksa lebih dari {days} hari lalu.",
        "stale_header": "⏰ <b>{count} artikel</b> diperiksa lebih dari {days} hari lalu, terlama dulu:",
        "stale_row": "• <b>{title}</b> (<code>{id}</code>)\n  diperiksa {date} (±{months} bulan lalu) · "
                     "<a href=\"{link}\">cek sumber</a>",
        "articles_header": ("📚 <b>{count} artikel</b>, {passages} bagian. Angka terakhir: pertanyaan yang dijawab "
                            "dari artikel itu dalam {days} hari terakhir. Hapus: /hapus_artikel ID"),
        "articles_row": "• <code>{id}</code> — {title}\n  per {date} · {passages} bagian · {answered} pertanyaan",
        "remove_usage": "Tulis ID artikelnya, misalnya <code>/hapus_artikel ssw-ikhtisar</code> (lihat /artikel).",
        "remove_unknown": "❌ Tidak ada artikel dengan ID <code>{id}</code>. Lihat /artikel.",
        "remove_refused": "❌ {name} tidak dihapus: tanpa artikel ini basis pengetahuan tidak valid:",
        "removed": "🗑 {name} dihapus; salinannya disimpan sebagai {backup}. ⏳ Memuat ulang…",
        "rollback_none": "❌ Tidak ada versi sebelumnya untuk dikembalikan.",
        "rollback_no_files": ("❌ Versi sebelumnya ({version}) disimpan tanpa salinan artikelnya, jadi tidak bisa "
                              "dikembalikan bersama artikelnya."),
        "rollback_unusable": "❌ Versi sebelumnya ({version}) tidak bisa dipakai (model lain, atau rusak).",
        "rollback_done": "↩️ Kembali ke versi {version}: indeks dan berkas artikelnya.",
        "rollback_written": "Berkas dikembalikan: {files}",
        "rollback_deleted": "Berkas disingkirkan (salinannya di {backups}/): {files}",
        "rollback_same_files": "Berkas artikel tidak berubah.",
        # an article from a link
        "link_fetching": "⏳ Mengambil halaman…",
        "link_dead": "❌ Halaman tidak bisa diambil ({detail}): periksa tautannya.",
        "link_status": "❌ Situsnya menjawab dengan galat HTTP {detail}: periksa tautannya.",
        "link_not_html": "❌ Tautan ini bukan halaman web (isinya {detail}); kirim tautan halaman beritanya.",
        "link_too_big": "❌ Halaman ini terlalu besar untuk sebuah berita ({detail} byte).",
        "link_no_article": ("❌ Tidak ada artikel yang bisa diambil dari halaman ini (halaman depan, daftar tautan, "
                            "atau perlu login?)."),
        "link_rejected": "❌ Berita dari tautan ini tidak bisa ditambahkan:",
        "link_add": "✅ Tambahkan",
        "link_drop": "✖️ Batal",
        "link_preview": ("📰 <b>{title}</b>\n📅 {date} · 🗞 {outlet}\n🔗 {url}\n{words} kata, akan disimpan sebagai "
                         "{name}\n\n{text}"),
        "link_gone": "Berita ini sudah ditambahkan atau dibatalkan.",
        "link_dropped": "✖️ Dibatalkan; tidak ada yang ditambahkan.",
    },
    "en": {
        "sources": "Sources",
        "as_of": "as of {date}",
        "checked_long_ago": "checked on {date}; check the official source",
        "understood_as": "(as I understand it: about {concepts})",
        "other_language_source": "(Some of this comes from our articles in Indonesian, quoted as written.)",
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
        "decline_task": (
            "Sorry, I can't translate texts or do homework. I answer questions about working and internships in "
            "Japan, for example: what are the SSW requirements?"
        ),
        "decline_empty": "Please write your question in words, for example: what are the SSW requirements?",
        "ask_here": "Please ask an official channel:",
        "topics_hint": "Try asking about SSW (Tokutei Ginou), internships in Japan or BPVP training, or see /topik.",
        "welcome": (
            "Hello! I am <b>Tanya Jepang</b>. I answer questions about working in Japan: SSW (Tokutei Ginou), "
            "internships (TITP, IM Japan, Ikusei Shūrō) and training at BPVP centres (formerly BLK).\n\n"
            "My answers come from checked articles, always with their sources and dates. I am not an agent and "
            "cannot register you; when I don't know, I say so and tell you where to ask.\n\n"
            "Write your question, choose a topic, or find the route that fits you:"
        ),
        "help": (
            "Just write a question, for example <i>what are the requirements for SSW?</i> Follow-up questions "
            "are fine too, for example <i>what about kaigo?</i>: I remember your previous question for 30 "
            "minutes.\n\n"
            "/jalur — find the route to Japan that fits you\n/topik — choose a topic\n"
            "/sumber — what the knowledge base holds and how current it is\n"
            "/bahasa — change the language (Indonesia/English)\n"
            "/hapus — erase everything stored about you\n/start — start afresh\n\n"
            "In a group, mention me (@bot_name) or reply to my message."
        ),
        "choose_topic": "Choose a topic:",
        "not_ready": "The knowledge base is not ready yet. Please try again shortly.",
        "sources_header": "I answer from {articles} articles ({passages} sections):",
        "text_only": "Sorry, I can only read text messages. Please write your question. 🙏",
        "thanks": "Thank you for your rating!",
        "forgotten": ("Everything this bot stored about you has been erased ({rows} records), including the "
                      "conversation in progress."),
        "gone": "Sorry, that question is no longer available. Please write your question.",
        "sorry": "Sorry, something went wrong. Please try again shortly.",
        "slow_down": "Slowly please 🙏 I answer one by one. Wait a moment, then send your next question.",
        "unknown_command": "I don't know that command. See /help, or just write your question.",
        "console_welcome": (
            "Tanya Jepang — ask anything about working in Japan (SSW/Tokutei Ginou, internships, BPVP training).\n"
            "Type a question and press Enter. To leave: /exit or Ctrl-D."
        ),
        "cmd_start": "Start and choose a topic",
        "cmd_jalur": "Find the route to Japan that fits you",
        "cmd_topik": "Topics you can ask about",
        "cmd_sumber": "What the knowledge base holds, and its dates",
        "cmd_bahasa": "Change the language (Indonesia/English)",
        "cmd_help": "How to use the bot",
        "cmd_hapus": "Erase everything stored about me",
        "topic_ssw": "SSW / Tokutei Ginou",
        "topic_ssw_question": "What is SSW (Tokutei Ginou) and what are its requirements?",
        "topic_magang": "Internships",
        "topic_magang_question": "What is the internship programme in Japan (TITP) and how do I join it?",
        "topic_bpvp": "BPVP training",
        "topic_bpvp_question": "What is BPVP and how do I register for its training?",
        "topic_safety": "Safety & avoiding scams",
        "topic_safety_question": "What are the signs of a job scam for Japan?",
        "language_choose": "Pilih bahasa / Choose a language:",
        "language_set": "OK, I will use English.",
        "language_id": "Bahasa Indonesia",
        "language_en": "English",
        "route_button": "🧭 Find the route that fits me",
        "route_title": "🧭 <b>Find your route to Japan</b>",
        "route_step": "({step}/{steps})",
        "route_q_age": "How old are you?",
        "route_q_education": "What is your highest education?",
        "route_q_japanese": "Which Japanese certificate do you have?",
        "route_q_field": "Which field of work interests you?",
        "route_q_magang": "Have you been an intern (magang) in Japan before?",
        "route_q_budget": "How much money can you prepare for leaving?",
        "route_age_under-18": "Under 18",
        "route_age_18-26": "18–26",
        "route_age_27-35": "27–35",
        "route_age_36-plus": "36 or older",
        "route_education_smp": "SMP (junior high) or less",
        "route_education_sma": "SMA / MA (senior high)",
        "route_education_smk": "SMK (vocational high)",
        "route_education_d3-nursing": "D3+ in nursing",
        "route_education_diploma": "D3+ in another subject",
        "route_japanese_none": "None yet",
        "route_japanese_n5": "N5 / JFT-Basic A1",
        "route_japanese_n4": "N4 / JFT-Basic A2",
        "route_japanese_n3": "N3 or higher",
        "route_field_kaigo": "Nursing / kaigo",
        "route_field_factory": "Factory / manufacturing",
        "route_field_construction": "Construction",
        "route_field_farming": "Farming / fishery",
        "route_field_food": "Food / restaurants",
        "route_field_transport": "Driving / transport",
        "route_field_other": "Other / not sure",
        "route_magang_never": "Never",
        "route_magang_completed": "Yes, completed stage 2 (~3 years)",
        "route_magang_partial": "Yes, but did not complete it",
        "route_budget_under-5": "Under Rp5 million",
        "route_budget_5-15": "Rp5–15 million",
        "route_budget_15-35": "Rp15–35 million",
        "route_budget_35-plus": "Rp35 million or more",
        "route_cancel": "✖️ Stop",
        "route_cancelled": "The route finder has stopped. Type /jalur any time to start again.",
        "route_again": "🔁 Start again",
        "route_not_yours": "This button belongs to someone else. Type /jalur to find your own route.",
        "route_result_title": "🧭 <b>Your routes to Japan</b>",
        "route_fits": "✅ Fits you",
        "route_after": "🔜 Possible, once you meet these",
        "route_no": "❌ Does not fit you now",
        "route_need_check": "Make sure",
        "route_need_after": "First",
        "route_need_no": "Because",
        "route_disclaimer": ("This is a first guide from our articles, not an official decision; requirements can "
                             "change, so check the official links."),
        "route_checked": "Facts checked as of {date}.",
        "route_unavailable": "Sorry, the route finder is not available right now. Please write your question.",
    },
}


_NAMES = {"ssw": "SSW", "g to g": "G to G", "jft-basic": "JFT-Basic", "im japan": "IM Japan", "jlpt": "JLPT",
          "bpvp": "BPVP", "lpk": "LPK", "coe": "COE", "otit": "OTIT", "kp2mi": "KP2MI", "p3mi": "P3MI", "rso": "RSO",
          "kbri": "KBRI", "ikusei shuro": "Ikusei Shūrō", "kemnaker": "Kemnaker"}
CONCEPT_NAMES: dict[str, dict[str, str]] = {
    "id": _NAMES,
    "en": {**_NAMES, "syarat": "requirements", "biaya": "costs", "gaji": "pay", "ujian": "tests", "umur": "age",
           "daftar": "registration", "keluarga": "family", "pindah kerja": "changing jobs", "pelatihan": "training",
           "paspor": "passport", "asuransi": "insurance", "pensiun": "pension", "kontrak": "contract",
           "lembur": "overtime", "pertanian": "agriculture", "peternakan": "livestock", "perikanan": "fishery",
           "konstruksi": "construction", "restoran": "restaurants", "pengolahan makanan": "food processing",
           "manufaktur": "manufacturing", "perbaikan mobil": "car repair", "pembersihan gedung": "building cleaning",
           "perhotelan": "hotels", "galangan kapal": "shipbuilding", "penerbangan": "aviation",
           "angkutan mobil": "automobile transport", "kereta api": "railways", "kehutanan": "forestry",
           "industri kayu": "wood industry", "upah minimum": "minimum wage", "zairyu card": "residence card"},
}
"""How "(saya pahami: tentang …)" names what a follow-up carried over (bot/followup.py's glossary heads)."""


def concept_name(lang: str, concept: str) -> str:
    return CONCEPT_NAMES.get(lang, CONCEPT_NAMES["id"]).get(concept) or _NAMES.get(concept, concept)


def text(lang: str, key: str) -> str:
    """The string for a language; unknown languages and keys fall back to Indonesian, our users' language."""
    return TEXTS.get(lang, TEXTS["id"]).get(key) or TEXTS["id"][key]
