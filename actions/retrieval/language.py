"""Is a message written in Welsh? The assistant answers in English only, so it should say so."""
from __future__ import annotations

import re

# Common Welsh words that are not also English words (so "a", "i", "am", "hi", "mam" are left out).
WELSH_WORDS = frozenset("""
beth ydy yw ydi ydw ydych mae maen sut pwy pryd ble pam plant plentyn gyda efo ddim dw dwi chi
ein eich fy yr ac neu wedi bod oes angen gwneud cyfarfod strategaeth asesiad asesu diogelu heddlu
rhiant rhieni tad delweddau delwedd anweddus cymraeg saesneg diolch gwelwch dda hefyd mewn sydd
fydd dylai dylwn dylen allwch alla galla gallaf gallwn rhaid hwn hon hyn yma yno gweithiwr
cymdeithasol cynhadledd amddiffyn troseddwr cam-drin camdriniaeth gofal cymorth ymholiad adran
nhw iddo iddi wrth rhwng ond felly dyw dydy ddylai ddylwn gennym gennyf gen ganddo eisiau isio
helpu cymraeg bore prynhawn noswaith shwmae sut mae hwyl ddim yn wneud ydan ydach hynny rydw
rwy rwyf roedd oedd fod ei heb dros drwy gyfer gael cael gallu faint pa ni
mor aml craidd grwp gyfarfod nghyfarfod gynhadledd chynhadledd blant mhlant phlant fam sy pwy
ddylid dylid gweithwyr swyddog heddwas tadau mamau teulu teuluoedd ysgol meddyg
""".split())  # with soft and nasal mutations of the commonest ("cyfarfod" -> "gyfarfod", "plant" -> "blant")
WELSH_LETTERS = re.compile(r"[ŵŷâêîôû]")
WORDS = re.compile(r"[a-zŵŷâêîôûáéíóú'-]+")


def is_welsh(text: str) -> bool:
    words = [re.sub(r"'(?:r|n|i|w|u|m|th)$", "", word) for word in WORDS.findall(text.lower())]  # "ddylai'r"
    if not words:
        return False
    welsh = sum(1 for word in words if word in WELSH_WORDS or WELSH_LETTERS.search(word))
    return welsh >= 2 and welsh / len(words) >= 0.4
