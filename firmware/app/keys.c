/* keys: the number pad and one letter keyboard per survey language, and
 * typing on them. Each row lists its keys separated by spaces; the last row
 * always holds the special keys. */
#include <stdbool.h>
#include <string.h>

#include "keys.h"

#include "../core/str.h"

static const KeysLayout keys_layouts[] = {
    {"de",
     4,
     {"q w e r t z u i o p ü", "a s d f g h j k l ö ä", "y x c v b n m ß - .",
      "shift symbols layout space backspace"}},
    {"en",
     4,
     {"q w e r t y u i o p", "a s d f g h j k l '", "z x c v b n m - . ,",
      "shift symbols layout space backspace"}},
    {"tr",
     4,
     {"q w e r t y u ı o p ğ ü", "a s d f g h j k l ş i", "z x c v b n m ö ç . ,",
      "shift symbols layout space backspace"}},
    {"ar",
     4,
     {"ض ص ث ق ف غ ع ه خ ح ج", "ش س ي ب ل ا ت ن م ك ط أ", "ئ ء ؤ ر ى ة و ز ظ د ذ إ",
      "symbols layout space backspace"}},
    {"uk",
     4,
     {"й ц у к е н г ш щ з х ї", "ф і в а п р о л д ж є", "я ч с м и т ь б ю ґ '",
      "shift symbols layout space backspace"}},
    {"ru",
     4,
     {"й ц у к е н г ш щ з х ъ", "ф ы в а п р о л д ж э", "я ч с м и т ь б ю ё .",
      "shift symbols layout space backspace"}},
};

/* The capitals, in the same order; Arabic has none. Turkish pairs ı with I
 * and i with İ. */
static const KeysLayout keys_upper[] = {
    {"de",
     4,
     {"Q W E R T Z U I O P Ü", "A S D F G H J K L Ö Ä", "Y X C V B N M ẞ - .",
      "shift symbols layout space backspace"}},
    {"en",
     4,
     {"Q W E R T Y U I O P", "A S D F G H J K L '", "Z X C V B N M - . ,",
      "shift symbols layout space backspace"}},
    {"tr",
     4,
     {"Q W E R T Y U I O P Ğ Ü", "A S D F G H J K L Ş İ", "Z X C V B N M Ö Ç . ,",
      "shift symbols layout space backspace"}},
    {"uk",
     4,
     {"Й Ц У К Е Н Г Ш Щ З Х Ї", "Ф І В А П Р О Л Д Ж Є", "Я Ч С М И Т Ь Б Ю Ґ '",
      "shift symbols layout space backspace"}},
    {"ru",
     4,
     {"Й Ц У К Е Н Г Ш Щ З Х Ъ", "Ф Ы В А П Р О Л Д Ж Э", "Я Ч С М И Т Ь Б Ю Ё .",
      "shift symbols layout space backspace"}},
};

/* Digits and punctuation; "symbols" leads back to the letters. Arabic
 * writes its own comma and question mark. */
static const KeysLayout keys_symbols = {"symbols",
                                        4,
                                        {"1 2 3 4 5 6 7 8 9 0", "- / : ; ( ) € & @ \"",
                                         ". , ? ! ' % + = # *", "symbols layout space backspace"}};
static const KeysLayout keys_symbols_ar = {"symbols",
                                           4,
                                           {"1 2 3 4 5 6 7 8 9 0", "- / : ؛ ( ) € & @ \"",
                                            ". ، ؟ ! ' % + = # *",
                                            "symbols layout space backspace"}};

static const KeysLayout keys_pad_int = {"numbers", 4, {"7 8 9", "4 5 6", "1 2 3", "- 0 backspace"}};
static const KeysLayout keys_pad_dec = {
    "decimal", 5, {"7 8 9", "4 5 6", "1 2 3", "- 0 .", "backspace"}};

const KeysLayout *keys_for_lang(const char *lang)
{
    for (size_t i = 0; i < sizeof keys_layouts / sizeof keys_layouts[0]; i++)
        if (lang && strcmp(keys_layouts[i].code, lang) == 0)
            return &keys_layouts[i];
    return &keys_layouts[0];
}

const KeysLayout *keys_for_lang_upper(const char *lang)
{
    for (size_t i = 0; i < sizeof keys_upper / sizeof keys_upper[0]; i++)
        if (lang && strcmp(keys_upper[i].code, lang) == 0)
            return &keys_upper[i];
    return keys_for_lang(lang); /* a script without capitals */
}

const KeysLayout *keys_next(const char *lang)
{
    size_t n = sizeof keys_layouts / sizeof keys_layouts[0];
    for (size_t i = 0; i < n; i++)
        if (lang && strcmp(keys_layouts[i].code, lang) == 0)
            return &keys_layouts[(i + 1) % n];
    return &keys_layouts[0];
}

const char *keys_caption(const char *code)
{
    static const char *const captions[][2] = {
        {"de", "DE"}, {"en", "EN"}, {"tr", "TR"}, {"ar", "عربي"}, {"uk", "УКР"}, {"ru", "РУС"},
    };
    for (size_t i = 0; i < sizeof captions / sizeof captions[0]; i++)
        if (strcmp(captions[i][0], code) == 0)
            return captions[i][1];
    return code;
}

const char *keys_letters_caption(const char *code)
{
    if (strcmp(code, "ar") == 0)
        return "أ ب ت";
    if (strcmp(code, "uk") == 0 || strcmp(code, "ru") == 0)
        return "абв";
    return "abc";
}

const KeysLayout *keys_symbols_page(const char *lang)
{
    return lang && strcmp(lang, "ar") == 0 ? &keys_symbols_ar : &keys_symbols;
}

const KeysLayout *keys_numpad(bool decimal)
{
    return decimal ? &keys_pad_dec : &keys_pad_int;
}

void keys_start(KeysState *ks, const char *lang)
{
    str_copy(ks->code, sizeof ks->code, keys_for_lang(lang)->code);
    ks->symbols = false;
    ks->shift = false;
}

const KeysLayout *keys_shown(const KeysState *ks)
{
    if (ks->symbols)
        return keys_symbols_page(ks->code);
    return ks->shift ? keys_for_lang_upper(ks->code) : keys_for_lang(ks->code);
}

bool keys_switch(KeysState *ks, const char *key)
{
    if (strcmp(key, KEYS_SYMBOLS) == 0) {
        ks->symbols = !ks->symbols;
        ks->shift = false;
    } else if (strcmp(key, KEYS_SHIFT) == 0) {
        ks->shift = !ks->shift;
    } else if (strcmp(key, KEYS_LAYOUT) == 0) {
        str_copy(ks->code, sizeof ks->code, keys_next(ks->code)->code);
        ks->symbols = false;
        ks->shift = false;
    } else {
        return false;
    }
    return true;
}

bool keys_type(KeysState *ks, const char *key, char *text, size_t size, int max_chars)
{
    size_t len = strlen(text);
    if (strcmp(key, KEYS_BACKSPACE) == 0) {
        while (len > 0 && ((unsigned char)text[len - 1] & 0xC0) == 0x80)
            len--; /* the whole UTF-8 character */
        if (len > 0)
            len--;
        text[len] = '\0';
        return true;
    }
    const char *add = strcmp(key, KEYS_SPACE) == 0 ? " " : key;
    size_t n = strlen(add);
    if (len + n >= size)
        return false;
    if (max_chars >= 0 && (int)(str_utf8_len(text) + str_utf8_len(add)) > max_chars)
        return false;
    memcpy(text + len, add, n + 1);
    ks->shift = false; /* one capital, as on a phone */
    return true;
}
