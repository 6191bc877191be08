/* keys: the number pad and one letter keyboard per survey language. Each row
 * lists its keys separated by spaces; the last row always holds the special
 * keys. */
#include <stdbool.h>
#include <string.h>

#include "keys.h"

static const KeysLayout keys_layouts[] = {
    {"de", 4, {"q w e r t z u i o p ü", "a s d f g h j k l ö ä", "y x c v b n m ß - .",
               "space backspace"}},
    {"en", 4, {"q w e r t y u i o p", "a s d f g h j k l '", "z x c v b n m - . ,",
               "space backspace"}},
    {"tr", 4, {"q w e r t y u ı o p ğ ü", "a s d f g h j k l ş i", "z x c v b n m ö ç . ,",
               "space backspace"}},
    {"ar", 4, {"ض ص ث ق ف غ ع ه خ ح ج", "ش س ي ب ل ا ت ن م ك ط", "ئ ء ؤ ر ى ة و ز ظ د ذ",
               "space backspace"}},
    {"uk", 4, {"й ц у к е н г ш щ з х ї", "ф і в а п р о л д ж є", "я ч с м и т ь б ю ґ '",
               "space backspace"}},
    {"ru", 4, {"й ц у к е н г ш щ з х ъ", "ф ы в а п р о л д ж э", "я ч с м и т ь б ю ё .",
               "space backspace"}},
};

static const KeysLayout keys_pad_int = {"numbers", 4, {"7 8 9", "4 5 6", "1 2 3", "- 0 backspace"}};
static const KeysLayout keys_pad_dec = {"decimal", 5,
                                        {"7 8 9", "4 5 6", "1 2 3", "- 0 .", "backspace"}};

const KeysLayout *keys_for_lang(const char *lang)
{
    for (size_t i = 0; i < sizeof keys_layouts / sizeof keys_layouts[0]; i++)
        if (lang && strcmp(keys_layouts[i].code, lang) == 0)
            return &keys_layouts[i];
    return &keys_layouts[0];
}

const KeysLayout *keys_numpad(bool decimal)
{
    return decimal ? &keys_pad_dec : &keys_pad_int;
}
