"""Triage's finding codes in the words clinicians read (the dashboard, the patient page)."""

# Clinical words for triage's finding codes (triage/rules.py CODES), for staff to read.
FINDING_WORDS: dict[str, str] = {
    "numbness": "New numbness or tingling",
    "saddle_numbness": "Numbness in the groin or buttocks (saddle area)",
    "weakness": "New leg weakness or trouble walking",
    "bladder": "Loss of bladder control",
    "bowel": "Loss of bowel control",
    "constipation": "Constipation",
    "severe_pain": "Severe or rising pain",
    "radiating_pain": "Pain spreading down the arm or leg",
    "fever": "Fever",
    "wound": "Incision problem (redness, drainage, opening)",
    "dvt": "Calf swelling or pain (possible clot)",
    "breathing": "Shortness of breath or chest pain",
    "csf_leak": "Clear fluid leak or headache on sitting up",
    "swallowing": "Trouble swallowing",
    "fall": "A fall",
    "mood": "Low mood",
    "self_harm": "Thoughts of self-harm",
}


def finding_words(code: str) -> str:
    return FINDING_WORDS.get(code, code.replace("_", " ").capitalize())
