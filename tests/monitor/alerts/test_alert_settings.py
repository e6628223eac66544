"""[alerts] in config.toml: what a user may write, and one line for each mistake."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.alerts.settings import Channel, MissingSecret, Rule
from monitor.config import Settings
from monitor.errors import ConfigError

HOOK = '[[alerts.channels]]\nname = "hook"\nwebhook = "https://hooks.example.org/p"\nsecret_env = "HOOK_KEY"\n'


def test_a_readable_config_gives_channels_and_rules(write_config: Callable[..., Settings]) -> None:
    s = write_config(extra='[alerts]\nretry_seconds = 5\n' + HOOK + '''
[[alerts.channels]]
name = "mail"
url = "mailtos://alerts:${SMTP_PASSWORD}@mail.example.org?to=desk@example.org"

[[alerts.rules]]
name = "trade moves"
topic = "china-kazakhstan"
measures = ["trade/cn-kz", "exports/kz-to-cn/*"]
min_change_percent = 2
channels = ["mail"]
''')
    a = s.alerts
    assert [c.kind for c in a.channels] == ["webhook", "apprise"] and a.retry_seconds == 5
    [rule] = a.rules
    assert (rule.on, rule.channels, rule.min_change_percent) == ("figure", ("mail",), 2)
    assert rule.wants_measure("trade/cn-kz", None) and rule.wants_measure("exports/kz-to-cn/wheat", None)
    assert rule.wants_measure("exports/kz-to-cn", None)
    assert not rule.wants_measure("trade/cn-kz/growth", "growth of trade")


@pytest.mark.parametrize(("extra", "message"), [
    (HOOK + '[[alerts.rules]]\nname = "r"\ntopic = "china-kazakhstan"\non = "figures"\n',
     "alerts.rules[0].on: must be one of figure, conflict, milestone, release, words; got 'figures' (did you mean `figure`?)"),
    (HOOK + '[[alerts.rules]]\nname = "r"\ntopic = "china-kazakstan"\n', "(did you mean `china-kazakhstan`?)"),
    (HOOK + '[[alerts.rules]]\nname = "r"\ntopic = "china-kazakhstan"\nchannels = ["hok"]\n',
     "alerts.rules[0].channels: no channel named 'hok' (did you mean `hook`?)"),
    (HOOK + '[[alerts.rules]]\nname = "r"\ntopic = "china-kazakhstan"\non = "words"\n',
     'alerts.rules[0].words: is required for on = "words"'),
    (HOOK + '[[alerts.rules]]\nname = "r"\ntopic = "china-kazakhstan"\non = "release"\nmin_change_percent = 3\n',
     'alerts.rules[0].min_change_percent: is for on = "figure"'),
    ('[[alerts.rules]]\nname = "r"\ntopic = "china-kazakhstan"\n', "has no channel to send to"),
    ('[[alerts.channels]]\nname = "x"\nurl = "slack://a"\nwebhook = "https://b"\n', "needs either url"),
    ('[[alerts.channels]]\nname = "x"\nwebhook = "ftp://b"\n', "must start with http:// or https://"),
    ('[[alerts.channels]]\nname = "x"\nurl = "mailto://u:${1BAD}@h"\n', "must name an environment variable"),
    ('[[alerts.channels]]\nname = "x"\nurl = "mailto://u:${PW@h"\n', "has a ${ without its closing }"),
    ('[alerts]\ngive_up_after = 3\n', "alerts.give_up_after: unknown key (did you mean `give_up_after_hours`?)"),
    ('[alerts]\nretry_seconds = 0\n', "alerts.retry_seconds: must be at least 1; got 0"),
])
def test_each_mistake_is_one_line_naming_the_key(write_config: Callable[..., Settings], extra: str,
                                                 message: str) -> None:
    with pytest.raises(ConfigError) as e:
        write_config(extra=extra)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_secrets_are_read_from_the_environment_when_sending_and_a_missing_one_is_named() -> None:
    ch = Channel("mail", url="mailtos://alerts:${SMTP_PASSWORD}@mail.example.org")
    assert ch.resolved({"SMTP_PASSWORD": "pw"}) == "mailtos://alerts:pw@mail.example.org"
    with pytest.raises(MissingSecret, match="the environment variable SMTP_PASSWORD is not set"):
        ch.resolved({})
    with pytest.raises(MissingSecret, match="HOOK_KEY"):
        Channel("hook", webhook="https://h", secret_env="HOOK_KEY").secret({})


def test_subject_words_reach_figures_without_a_measure() -> None:
    rule = Rule("r", "t", "figure", ("c",), subjects=("trade", "dry port"))
    assert rule.wants_measure(None, "Two-way trade between China and Kazakhstan")
    assert rule.wants_measure(None, "capacity of the Khorgos dry port")
    assert not rule.wants_measure(None, "tradesmen employed")
