"""The route finder's rules (knowledge/routes.yaml): valid, cited, true to their articles, and judged as the
articles say; a broken rules file is reported like a broken article."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.config import SHIPPED_KNOWLEDGE_DIR
from bot.render import MONTHS
from bot.route_finder import STEPS, answers_of, evaluate, general_notes, next_step, question_html, result_html
from knowledge.loader import load_articles
from knowledge.routes import ANSWERS, ROUTES_FILE, SHIPPED_ROUTES, TODAY, load_routes, parse_routes

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
CHECKED = date(2026, 12, 4)  # the articles' as_of
SHIPPED = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today())  # articles are checked on later days too
ARTICLES = {article.slug: article for article in SHIPPED.articles}
RULES = SHIPPED.routes
BEFORE_IKUSEI, AFTER_IKUSEI = date(2026, 12, 4), date(2027, 5, 1)

YOUNG_FACTORY = dict(age="18-26", education="smk", japanese="none", field="factory", magang="never", budget="15-35")


def profile(**changes):
    return {**YOUNG_FACTORY, **changes}


def verdicts(answers, today=BEFORE_IKUSEI):
    return {verdict.route.key: verdict for verdict in evaluate(RULES, answers, today)}


def outcomes(answers, today=BEFORE_IKUSEI):
    return {key: verdict.outcome for key, verdict in verdicts(answers, today).items()}


def test_the_shipped_rules_are_valid_and_cite_shipped_articles():
    assert SHIPPED.problems == ()
    assert {route.key for route in RULES.routes} == {"ssw-p3mi", "ssw-mandiri", "magang-im-japan", "magang-lpk-so",
                                                    "g-to-g-epa", "ikusei-shuro"}
    assert RULES.articles() <= ARTICLES.keys()
    assert all(route.url.startswith("https://") for route in RULES.routes)


def test_every_limit_a_rule_tests_is_written_in_the_article_it_cites():
    """The rules restate articles; a number or date that is not in the cited article came from somewhere else."""
    for route in RULES.routes:
        for need in route.needs:
            body = ARTICLES[need.article].body
            for limit in (need.low, need.high):
                if isinstance(limit, date):
                    written = f"{limit.day} {MONTHS['id'][limit.month - 1]} {limit.year}"
                    assert written in body, (route.key, need.answer, written)
                elif limit is not None and limit > 0:
                    assert re.search(rf"(?<!\d){int(limit)}(?!\d)", body), (route.key, need.answer, limit, need.article)


def test_every_rule_text_is_in_both_languages():
    texts = [text for route in RULES.routes for text in (route.name, route.summary)]
    texts += [need.why for route in RULES.routes for need in route.needs]
    texts += [note.text for route in RULES.routes for note in route.notes] + [note.text for note in RULES.notes]
    assert all(text["id"] and text["en"] and text["id"] != text["en"] for text in texts)


def test_a_young_vocational_graduate_can_go_as_an_intern_now_and_with_ssw_after_a_japanese_test():
    result = outcomes(YOUNG_FACTORY)
    assert result["magang-im-japan"] == result["magang-lpk-so"] == "fits"
    assert result["ssw-p3mi"] == result["ssw-mandiri"] == "after"  # JFT-Basic A2 or JLPT N4 first
    assert result["ikusei-shuro"] == "after"  # starts 1 April 2027
    assert result["g-to-g-epa"] == "no"
    assert [need.answer for _, need in verdicts(YOUNG_FACTORY)["ssw-p3mi"].needs] == ["japanese"]


def test_with_n4_ssw_fits_and_after_a_completed_internship_no_japanese_test_is_needed():
    assert outcomes(profile(japanese="n4"))["ssw-mandiri"] == "fits"
    former_intern = outcomes(profile(magang="completed"))
    assert former_intern["ssw-p3mi"] == "fits"
    assert former_intern["magang-im-japan"] == former_intern["magang-lpk-so"] == "no"  # not the same stage twice
    partial = verdicts(profile(magang="partial", budget="35-plus"))["magang-lpk-so"]
    assert partial.outcome == "fits"  # with a check: which stage is still open
    assert [(kind, need.answer) for kind, need in partial.needs] == [("check", "magang")]


def test_age_decides_im_japan_and_g_to_g_and_nothing_is_open_under_18():
    assert outcomes(profile(age="27-35"))["magang-im-japan"] == "no"
    nurse = dict(age="27-35", education="d3-nursing", japanese="n5", field="kaigo", magang="never", budget="under-5")
    assert outcomes(nurse)["g-to-g-epa"] == "fits"
    assert outcomes({**nurse, "age": "36-plus"})["g-to-g-epa"] == "no"
    minor = outcomes(profile(age="under-18"))
    assert all(minor[key] == "no" for key in ("ssw-p3mi", "ssw-mandiri", "magang-im-japan", "magang-lpk-so"))


def test_g_to_g_is_for_nursing_diplomas_only_and_a_non_nursing_diploma_must_check():
    careworker = dict(age="18-26", education="sma", japanese="n5", field="kaigo", magang="never", budget="5-15")
    assert outcomes(careworker)["g-to-g-epa"] == "no"  # SMA: "G to G for SMA graduates" is a scam sign
    diploma = verdicts({**careworker, "education": "diploma"})["g-to-g-epa"]
    assert diploma.outcome == "fits" and [kind for kind, _ in diploma.needs] == ["check"]  # careworker certificate
    assert outcomes({**careworker, "education": "d3-nursing", "japanese": "none"})["g-to-g-epa"] == "after"


def test_after_1_april_2027_titp_is_closed_and_ikusei_shuro_is_open_except_to_drivers():
    later = outcomes(YOUNG_FACTORY, AFTER_IKUSEI)
    assert later["magang-im-japan"] == later["magang-lpk-so"] == "no"
    assert later["ikusei-shuro"] == "fits"
    assert outcomes(profile(field="transport"), AFTER_IKUSEI)["ikusei-shuro"] == "no"


def test_a_budget_below_the_average_cost_is_a_check_not_a_refusal():
    small = verdicts(profile(budget="under-5"))
    assert small["magang-im-japan"].outcome == "fits"
    assert [need.answer for kind, need in small["magang-im-japan"].needs if kind == "check"] == ["budget"]
    partly = verdicts(profile(budget="5-15"))["magang-im-japan"]  # Rp10-15 juta average: partly within
    assert [need.answer for _, need in partly.needs] == ["budget"]
    assert general_notes(RULES, profile(budget="under-5")) and not general_notes(RULES, profile(budget="35-plus"))


def test_answers_travel_as_codes_and_forged_codes_are_refused():
    codes = "".join(ANSWERS[step][1].code for step in STEPS)
    assert answers_of(codes) == {step: ANSWERS[step][1].name for step in STEPS}
    assert next_step("") == "age" and next_step(codes[:2]) == "japanese" and next_step(codes) is None
    assert answers_of("zz") is None and answers_of(codes + "a") is None


def test_the_result_names_each_route_with_why_its_articles_and_official_link():
    answers = profile(age="27-35")
    html_text = result_html("id", evaluate(RULES, answers, BEFORE_IKUSEI), answers, (), ARTICLES)
    assert "Magang lewat program Kemnaker–IM Japan" in html_text and "18–26 tahun saat seleksi" in html_text
    assert '<a href="https://jepang.magangln.id/">jepang.magangln.id</a>' in html_text
    assert "📄 Magang ke Jepang lewat program Kemnaker–IM Japan" in html_text
    assert html_text.index("✅") < html_text.index("🔜") < html_text.index("❌")
    english = result_html("en", evaluate(RULES, answers, BEFORE_IKUSEI), answers, (), ARTICLES)
    assert "Internship through the Kemnaker–IM Japan programme" in english and "Fits you" in english
    assert "27–35" in question_html("en", "c") and "highest education" in question_html("en", "c")


def test_rule_texts_are_escaped():
    data = yaml.safe_load(SHIPPED_ROUTES.read_text(encoding="utf-8"))
    data["routes"][0]["name"]["id"] = "SSW <b>palsu</b> & co"
    rules, problems = parse_routes(ROUTES_FILE, data, None)
    answers = profile()
    assert "SSW &lt;b&gt;palsu&lt;/b&gt; &amp; co" in result_html("id", evaluate(rules, answers, CHECKED), answers,
                                                                   (), {})


def test_a_folder_without_rules_uses_the_shipped_ones_and_its_own_are_checked_against_its_articles(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, folder)
    loaded = load_articles(folder, today=CHECKED)
    assert loaded.problems == () and loaded.routes == RULES  # the shipped file, citations not checked here
    shutil.copy(SHIPPED_ROUTES, folder / ROUTES_FILE)
    loaded = load_articles(folder, today=CHECKED)
    assert loaded.routes is None
    assert {problem.file for problem in loaded.problems} == {ROUTES_FILE}
    assert any(problem.field == "routes[0] (ssw-p3mi) needs[0]"
               and "no article 'ssw-syarat-dan-ujian' in the knowledge folder" in problem.reason
               for problem in loaded.problems)


def broken(change):
    data = yaml.safe_load(SHIPPED_ROUTES.read_text(encoding="utf-8"))
    change(data)
    return parse_routes(ROUTES_FILE, data, None)


@pytest.mark.parametrize(("change", "field", "reason"), [
    (lambda d: d["routes"][2]["needs"][0].update(answer="umur"), "routes[2] (magang-im-japan) needs[0]",
     "unknown answer 'umur': use one of age, education, japanese, field, magang, budget, today"),
    (lambda d: d["routes"][2]["needs"][1].update({"in": ["sma", "s1"]}), "routes[2] (magang-im-japan) needs[1]",
     "unknown education 's1': use smp, sma, smk, d3-nursing, diploma"),
    (lambda d: d["routes"][2]["needs"][1].update(otherwse="check"), "routes[2] (magang-im-japan) needs[1]",
     "unknown field 'otherwse'"),
    (lambda d: d["routes"][2]["needs"][1].update(otherwise="maybe"), "routes[2] (magang-im-japan) needs[1]",
     "otherwise must be one of check, after, no, not 'maybe'"),
    (lambda d: d["routes"][4]["needs"][3].update(max="35"), "routes[4] (g-to-g-epa) needs[3]",
     "max must be a number, not '35'"),
    (lambda d: d["routes"][5]["needs"][0].update({"from": "April 2027"}), "routes[5] (ikusei-shuro) needs[0]",
     "from must be a date written YYYY-MM-DD"),
    (lambda d: d["routes"][4]["needs"][0]["why"].pop("en"), "routes[4] (g-to-g-epa) needs[0]",
     "why must be written in both languages"),
    (lambda d: d["routes"][0].update(url="kemnaker.go.id"), "routes[0] (ssw-p3mi)",
     "url must be the official http(s) page of the route"),
    (lambda d: d["routes"][1].pop("article"), "routes[1] (ssw-mandiri)", "missing article"),
    (lambda d: d["routes"][1].update(key="ssw-p3mi"), "routes", "the key 'ssw-p3mi' is used twice"),
    (lambda d: d.update(routes=[]), "routes", "must be a list of routes"),
    (lambda d: d["notes"][0].pop("article"), "notes[0]", "missing article"),
])
def test_each_problem_in_a_rules_file_names_its_field_and_reason(change, field, reason):
    rules, problems = broken(change)
    assert rules is None
    assert any(problem.file == ROUTES_FILE and problem.field == field and reason in problem.reason
               for problem in problems), problems


def test_every_problem_is_reported_at_once():
    def two_mistakes(data):
        data["routes"][2]["needs"][0].update(min="18")
        data["routes"][3].update(url="")
    _, problems = broken(two_mistakes)
    assert [problem.field for problem in problems] == ["routes[2] (magang-im-japan) needs[0]",
                                                       "routes[3] (magang-lpk-so)"]


def test_an_unreadable_rules_file_is_one_problem(tmp_path):
    (tmp_path / ROUTES_FILE).write_text("routes: [\n", encoding="utf-8")
    rules, problems = load_routes(tmp_path, set())
    assert rules is None and len(problems) == 1 and problems[0].field == "yaml"


def test_the_rules_use_only_answers_the_dialogue_asks():
    tested = {need.answer for route in RULES.routes for need in route.needs}
    assert tested <= {*ANSWERS, TODAY}
