/** Short texts written for these tests, three per language Vigil must identify (issue 10): a call, a
 * news sentence, a magazine notice. Dari is written like Persian and is expected as `pes`. */
export const LANGUAGE_TEXTS: Readonly<Record<string, readonly string[]>> = {
  rus: [
    'Вчера вечером в Москве неизвестные открыли огонь по посетителям концертного зала.',
    'Братья, мы призываем вас присоединиться к нашему делу и не бояться угроз.',
    'Новый выпуск журнала уже доступен для скачивания на нашем канале.',
  ],
  tgk: [
    'Бародарон, мо шуморо ба ҷиҳод даъват мекунем ва Худованд ба шумо кӯмак хоҳад кард.',
    'Дар шаҳри Душанбе имрӯз вохӯрии мардум бо роҳбарони маҳал баргузор шуд.',
    'Шумораи нави маҷалла барои бародарони тоҷик нашр шуд.',
  ],
  uzn: [
    'Birodarlar, biz sizlarni Allohning yoʻlida jihodga chaqiramiz va kofirlardan qoʻrqmang.',
    'Бугун Тошкент шаҳрида катта йиғилиш бўлиб ўтди ва одамлар кўп гапиришди.',
    'Jurnalning yangi soni oʻzbek birodarlar uchun chop etildi.',
  ],
  kaz: [
    'Бауырлар, біз сендерді Алланың жолында күреске шақырамыз және кәпірлерден қорықпаңдар.',
    'Бүгін Алматы қаласында үлкен жиналыс өтті және адамдар көп сөйледі.',
    'Журналдың жаңа саны қазақ бауырларға арналып шықты.',
  ],
  kir: [
    'Бир туугандар, биз силерди Алланын жолунда күрөшкө чакырабыз жана капырлардан коркпогула.',
    'Бүгүн Бишкек шаарында чоң чогулуш болуп өттү жана адамдар көп сүйлөштү.',
    'Журналдын жаңы саны кыргыз бир туугандар үчүн чыкты.',
  ],
  pbu: [
    'ورونو، موږ تاسو د الله په لار کې جهاد ته رابولو او له کافرانو مه ویرېږئ.',
    'نن په کابل ښار کې یوه لویه غونډه جوړه شوه او خلکو ډېرې خبرې وکړې.',
    'د مجلې نوې ګڼه د پښتنو ورونو لپاره خپره شوه.',
  ],
  pes: [
    'برادران، ما شما را به جهاد در راه خدا دعوت می‌کنیم و از کافران نترسید.',
    'امروز در شهر کابل یک نشست بزرگ برگزار شد و مردم سخنان زیادی گفتند.',
    'شماره جدید مجله برای برادران افغان منتشر شد.',
  ],
  urd: [
    'بھائیو، ہم آپ کو اللہ کی راہ میں جہاد کی دعوت دیتے ہیں اور کافروں سے مت ڈرو۔',
    'آج کراچی شہر میں ایک بڑا اجتماع ہوا اور لوگوں نے بہت باتیں کیں۔',
    'رسالے کا نیا شمارہ پاکستانی بھائیوں کے لیے شائع ہو گیا ہے۔',
  ],
  arb: [
    'أيها الإخوة، ندعوكم إلى الجهاد في سبيل الله ولا تخافوا من الكفار.',
    'أعلنت وكالة أعماق أن مقاتلي الدولة الإسلامية نفذوا هجوما على قاعة للحفلات.',
    'صدر العدد الجديد من المجلة للإخوة في بلاد الشام.',
  ],
  tur: [
    'Kardeşler, sizi Allah yolunda cihada çağırıyoruz ve kâfirlerden korkmayın.',
    'Bugün İstanbul şehrinde büyük bir toplantı yapıldı ve insanlar çok konuştu.',
    'Derginin yeni sayısı Türk kardeşlerimiz için yayımlandı.',
  ],
  fra: [
    'Frères, nous vous appelons au combat sur le chemin de Dieu et ne craignez pas les mécréants.',
    "Aujourd'hui une grande réunion a eu lieu dans la ville de Paris et les gens ont beaucoup parlé.",
    'Le nouveau numéro du magazine est publié pour nos frères de France.',
  ],
  spa: [
    'Hermanos, os llamamos a la lucha en el camino de Dios y no temáis a los incrédulos.',
    'Hoy se celebró una gran reunión en la ciudad de Madrid y la gente habló mucho.',
    'El nuevo número de la revista se publica para nuestros hermanos de España.',
  ],
  eng: [
    'Brothers, we call you to struggle in the path of God and do not fear the unbelievers.',
    'Today a large meeting was held in the city of London and people spoke a lot.',
    'The new issue of the magazine is out for our brothers in the West.',
  ],
};
