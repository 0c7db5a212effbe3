"""Assess a list of messages in one call (GIL released) and summarise them.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/batch_assess.py
"""
import veteran

messages = [
    "Morning all, off to the allotment",
    "I can't go on like this",
    "my brother keeps saying he wants to die",
    "I could kill myself, I left my keys at work",
    "I want to end my life tonight",
]
engine = veteran.Engine()
batch = engine.assess_many(messages, threads=2)
columns = batch.columns()  # pandas.DataFrame(columns) works directly
for text, level, rag in zip(messages, columns["level"], columns["rag"]):
    print(f"{level:9} {rag:7} {text}")
print(batch.level_counts())
