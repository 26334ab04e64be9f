from core import korean


def test_the_analyser_is_loaded_once_per_process():
    assert korean.analyser() is korean.analyser()


def test_content_words_drop_particles_and_endings():
    assert korean.content_words("AI대전환을 추진한다") == ("ai", "대", "전환", "추진")
    assert korean.content_words("") == ()


def test_sentences_keep_their_offsets():
    text = "첫 문장이다. 둘째 문장이다."
    assert korean.sentences(text) == [(0, 7, "첫 문장이다."), (8, 16, "둘째 문장이다.")]
