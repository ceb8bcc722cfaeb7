"""Unknown Chinese characters take over the vocabulary's [unused] slots (no torch needed)."""

import json

from tokenizers import Tokenizer

from insuredesk.consultation.engine.encoder import TOKENIZER_FILE, packaged_model_dir
from insuredesk.consultation.engine.training import extend_vocabulary


def _tokenizer(path):
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    return tokenizer


def test_the_most_frequent_unknown_characters_get_unused_slots(tmp_path):
    source = packaged_model_dir() / TOKENIZER_FILE
    before = _tokenizer(source)
    unk = before.token_to_id("[UNK]")
    assert before.encode("赔", add_special_tokens=False).ids == [unk]

    target = tmp_path / TOKENIZER_FILE
    added = extend_vocabulary(["赔赔赔病病车", "保险"], source, target)

    vocab = json.loads(source.read_text(encoding="utf-8"))["model"]["vocab"]
    unused = {i for t, i in vocab.items() if t.startswith("[unused")}
    assert list(added) == ["赔", "病", "车", "险"]  # most frequent first; 保 was known already
    assert set(added.values()) <= unused
    after = _tokenizer(target)
    assert after.encode("赔", add_special_tokens=False).ids == [added["赔"]]
    # Every other token keeps its id, so the model's embedding rows still line up.
    assert (
        after.encode("claim paid", add_special_tokens=False).ids
        == before.encode("claim paid", add_special_tokens=False).ids
    )
    assert after.get_vocab_size() == before.get_vocab_size()
