"""Chinese text to search terms with jieba, so SQLite FTS5 and PostgreSQL full-text search index and query the
same terms and rank alike (neither store segments Chinese on its own)."""
from __future__ import annotations

import logging
import re
import threading

import jieba

# metrology terms jieba's general dictionary splits or misses; each is kept whole (and its parts are still
# emitted by the search mode, so 电磁流量计 also matches 流量计)
VOCABULARY = (
    "电磁流量计", "涡街流量计", "超声流量计", "涡轮流量计", "质量流量计", "流量计", "水表", "燃气表", "电能表",
    "热能表", "压力表", "压力变送器", "血压计", "血压表", "体温计", "温度计", "热电偶", "热电阻", "天平", "砝码",
    "衡器", "电子天平", "加油机", "加气机", "出租汽车计价器", "计价器", "测速仪", "酒精检测仪", "呼出气体",
    "声级计", "照度计", "分光光度计", "酸度计", "电导率仪", "气相色谱仪", "液相色谱仪", "黏度计", "密度计",
    "测量不确定度", "不确定度", "检定系统表", "型式评价", "校准规范", "检定规程", "示值误差", "量值传递",
    "计量器具", "卡尺", "千分尺", "百分表", "经纬仪", "全站仪", "水准仪", "转速表", "力传感器", "扭矩扳手",
    "硬度计", "冲击试验机", "万能试验机", "心电图机", "多参数监护仪", "医用注射泵", "输液泵", "X射线",
    "辐射剂量", "电离室", "流量积算仪", "液位计", "湿度计", "风速表", "雨量计", "能见度仪", "粒子计数器",
)
STOP = frozenset(("的", "和", "与", "及", "或", "用", "于", "等", "中", "对", "在", "为", "其", "个", "种", "类",
                  "规范", "规程", "计量", "技术", "检定", "校准", "大纲", "适用", "适用范围", "本", "范围",
                  "以下", "以上", "进行", "方法", "要求", "of", "the", "and", "for",
                  "jjg", "jjf", "检定规程", "校准规范", "量计", "定规", "准规", "小于", "大于", "不小于", "不大于"))
_WORD = re.compile(r"^\w+$")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _jieba() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            made = jieba.Tokenizer()
            for word in VOCABULARY:
                made.add_word(word, freq=200000)
            _tokenizer = made
        return _tokenizer


def terms(text: str | None) -> list[str]:
    """The distinct search terms of ``text`` in order: words and their parts (jieba's search mode), lower-case,
    no punctuation, numbers or stop words."""
    if not text:
        return []
    seen: dict[str, None] = {}
    for word in _jieba().cut_for_search(text.lower()):
        word = word.strip()
        inner = [w for w in VOCABULARY if len(word) > 3 and w in word and w != word]  # 测量不确定度 → 不确定度
        for term in (word, *inner):
            if len(term) > 1 and _WORD.match(term) and not term.isdigit() and term not in STOP and term not in seen:
                seen[term] = None
    return list(seen)


def joined(text: str | None) -> str:
    """What the store's full-text index is fed: the terms separated by spaces."""
    return " ".join(terms(text))
