"""The fine-tuning schedule and batching helpers (pure functions; no torch needed)."""

import pytest

from insuredesk.consultation.engine.encoder import length_chunks
from insuredesk.consultation.engine.training import (
    TrainingExample,
    cpu_computes_bfloat16,
    keep_accepted_negatives,
    learning_rate_factor,
    stage_budget,
)


def test_the_learning_rate_warms_up_then_decays_to_zero_at_the_planned_end():
    planned = 200  # warm-up: the first 10 steps
    assert learning_rate_factor(0, planned) == pytest.approx(0.1)
    assert learning_rate_factor(9, planned) == pytest.approx(1.0)
    assert learning_rate_factor(10, planned) == pytest.approx(1.0)
    assert learning_rate_factor(105, planned) == pytest.approx(0.5)
    assert learning_rate_factor(200, planned) == 0.0


def test_when_the_time_budget_runs_out_first_the_decay_follows_the_clock():
    planned = 200
    # A quarter of the steps but half the budget gone: the machine is slow, so the rate is
    # already where it would be half-way through.
    halfway = learning_rate_factor(50, planned, elapsed_s=300, time_budget_s=600)
    assert halfway == pytest.approx(learning_rate_factor(100, planned))
    assert learning_rate_factor(50, planned, elapsed_s=600, time_budget_s=600) == 0.0
    # A fast machine: the steps end first and the clock changes nothing.
    assert learning_rate_factor(150, planned, elapsed_s=60, time_budget_s=600) == pytest.approx(
        learning_rate_factor(150, planned)
    )


def test_a_one_step_plan_has_a_learning_rate():
    assert learning_rate_factor(0, 1) == 1.0


def test_texts_are_chunked_shortest_first_and_every_position_appears_once():
    lengths = [9, 3, 7, 1, 5]
    assert length_chunks(lengths, 2) == [[3, 1], [4, 2], [0]]
    assert length_chunks(lengths, 32) == [[3, 1, 4, 2, 0]]


def test_a_stage_keeps_its_own_budget_when_the_deadline_leaves_room():
    assert stage_budget(40 * 60, remaining_s=50 * 60) == 40 * 60


def test_the_deadline_cuts_a_stage_short_on_a_slow_machine():
    # Issue 6: training must finish within the hour, whatever the machine takes per step.
    assert stage_budget(40 * 60, remaining_s=31 * 60) == 31 * 60
    assert stage_budget(None, remaining_s=31 * 60) == 31 * 60


def test_a_stage_past_its_deadline_still_trains_a_little():
    assert stage_budget(40 * 60, remaining_s=-300) == 4 * 60
    assert stage_budget(5 * 60, remaining_s=0) == 60


def test_only_answers_some_example_accepted_stay_negatives():
    examples = [
        TrainingExample("q1", "a", negative_ids=("b", "x")),
        TrainingExample("q2", "b", negative_ids=("a", "y"), other_answer_ids=("c",)),
        TrainingExample("q2", "c", negative_ids=("a", "y", "x"), other_answer_ids=("b",)),
    ]
    kept, accepted = keep_accepted_negatives(examples)

    assert accepted == {"a", "b", "c"}
    # "x" and "y" answer none of these questions: unknown, not wrong, so they are left alone.
    assert [(e.question, e.answer_id, e.negative_ids, e.other_answer_ids) for e in kept] == [
        ("q1", "a", ("b",), ()),
        ("q2", "b", ("a",), ("c",)),
        ("q2", "c", ("a",), ("b",)),
    ]


def test_bfloat16_is_used_only_where_the_cpu_computes_it_in_hardware():
    zen4 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw avx512_bf16 avx512_vnni\n"
    sapphire_rapids = "flags\t\t: fpu avx2 avx512f avx512bw amx_bf16 amx_tile amx_int8\n"
    graviton3 = "processor\t: 0\nFeatures\t: fp asimd sve i8mm bf16 dcpop\n"
    # AVX-512 without BF16: oneDNN would emulate bfloat16, at more than twice float32's time.
    skylake = "flags\t\t: fpu sse2 avx2 avx512f avx512bw avx512dq avx512_vnni\n"
    assert cpu_computes_bfloat16(zen4)
    assert cpu_computes_bfloat16(sapphire_rapids)
    assert cpu_computes_bfloat16(graviton3)
    assert not cpu_computes_bfloat16(skylake)
    assert not cpu_computes_bfloat16("")
