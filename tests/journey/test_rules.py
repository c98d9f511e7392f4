from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.journey import rules

weighed = st.builds(rules.Weighed, weight=st.integers(1, 10), minimum_level=st.one_of(st.none(), st.integers(1, 4)))


def test_nothing_ticked_suggests_universal():
    assert rules.suggest_level([], (1, 6, 12)) == 1


def test_total_weight_crosses_the_thresholds_in_turn():
    assert rules.suggest_level([rules.Weighed(1)], (1, 6, 12)) == 2
    assert rules.suggest_level([rules.Weighed(3), rules.Weighed(3)], (1, 6, 12)) == 3
    assert rules.suggest_level([rules.Weighed(6), rules.Weighed(6)], (1, 6, 12)) == 4


def test_one_grave_sign_reaches_its_level_alone():
    assert rules.suggest_level([rules.Weighed(1, minimum_level=4)], (1, 6, 12)) == 4


@given(st.lists(weighed, max_size=12))
def test_the_suggestion_is_a_level_and_never_below_any_sign_s_own_level(ticked):
    level = rules.suggest_level(ticked, (1, 6, 12))
    assert 1 <= level <= 4
    assert all(level >= (item.minimum_level or 1) for item in ticked)


@given(st.lists(weighed, max_size=8), weighed)
def test_ticking_another_sign_never_lowers_the_suggestion(ticked, extra):
    assert rules.suggest_level([*ticked, extra], (1, 6, 12)) >= rules.suggest_level(ticked, (1, 6, 12))


def test_a_fall_in_scale_past_the_threshold_prompts_a_step_up():
    prompt = rules.step_prompt(3, 3, 7, 4, scale_change=3)
    assert prompt == rules.StepPrompt("up", rules.SCALE_FELL.format(previous=7, new=4))


def test_a_rise_in_scale_past_the_threshold_prompts_a_step_down():
    assert rules.step_prompt(3, 3, 3, 8, scale_change=3).direction == "down"


def test_a_small_change_prompts_nothing():
    assert rules.step_prompt(3, 3, 5, 4, scale_change=3) is None


def test_reaching_level_four_prompts_a_step_up_even_with_a_steady_scale():
    assert rules.step_prompt(3, 4, 5, 5, scale_change=3).direction == "up"


def test_falling_to_level_one_prompts_a_step_down():
    assert rules.step_prompt(2, 1, None, None, scale_change=3).direction == "down"


def test_risk_wins_when_the_signs_point_both_ways():
    assert rules.step_prompt(3, 1, 8, 2, scale_change=3).direction == "up"


def test_references_avoid_characters_misread_on_the_phone():
    reference = rules.new_reference()
    assert reference.startswith("EH-")
    assert len(reference) == 11
    assert not set(reference[3:]) & set("01IO")
